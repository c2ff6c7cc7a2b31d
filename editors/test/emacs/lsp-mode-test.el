;;; lsp-mode-test.el --- headless lsp-mode test of editors/emacs/asyncapi-ls.el  -*- lexical-binding: t; -*-
;; Usage: PLUGIN_DIR=editors/emacs LSP_CMD=asyncapi-ls LSP_FILE=demo.yaml LSP_OUT=out.json EXPECT=expect.json \
;;        timeout 60 emacs --batch -Q -l common.el -l lsp-mode-test.el
(defvar t-tmp (make-temp-file "lsp-mode-test" t))
(setq lsp-session-file (expand-file-name "session" t-tmp)   ; never touch ~/.emacs.d
      lsp-server-install-dir (expand-file-name "servers" t-tmp)
      lsp-auto-guess-root nil lsp-restart 'ignore lsp-keep-workspace-alive nil
      lsp-diagnostics-provider :flymake lsp-completion-provider :none
      lsp-headerline-breadcrumb-enable nil lsp-modeline-code-actions-enable nil
      lsp-modeline-diagnostics-enable nil lsp-lens-enable nil lsp-enable-file-watchers nil
      lsp-enable-snippet nil
      lsp-enabled-clients '(asyncapi-ls))   ; only ours, not the bundled lsp-yaml
(require 'lsp-mode)
(require 'flymake)
(require 'flymake-proc)
(remove-hook 'flymake-diagnostic-functions #'flymake-proc-legacy-flymake)
(asyncapi-ls-lsp-mode-setup)

(let ((result nil) (t0 (float-time)))
  (condition-case err
      (progn
        (find-file t-file)
        (unless (derived-mode-p 'yaml-mode) (yaml-mode))
        ;; lsp-mode asks for the project root interactively unless it is known
        (lsp-workspace-folders-add (file-name-directory t-file))
        (lsp)                                 ; `lsp-deferred' needs idle timers: call `lsp'
        (unless (t-wait (lambda () (and (lsp-workspaces)
                                        (eq 'initialized (lsp--workspace-status (car (lsp-workspaces))))))
                        t-timeout)
          (error "asyncapi-ls did not start/initialize (workspaces: %S)" (lsp-workspaces)))
        (unless (eq (lsp--client-server-id (lsp--workspace-client (car (lsp-workspaces)))) 'asyncapi-ls)
          (error "lsp-mode picked another client"))
        (let ((code (t-exp 'diagnostic 'code)))
          (cl-flet ((ours () (cl-remove-if-not (lambda (d) (equal (t-get d :code) code))
                                               (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t)))))
            (unless (t-wait (lambda () (and (ours) (flymake-diagnostics))) t-timeout)
              (error "timed out waiting for the %s diagnostic (flymake: %S)" code
                     (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
            (push (cons 'diagnostics_ms (* 1000 (- (float-time) t0))) result)
            ;; lsp-mode's own list (what its error list shows) and where flymake put them
            (push (cons 'diagnostics
                        (vconcat (mapcar (lambda (d)
                                           (let ((start (t-get (t-get d :range) :start)))
                                             `((line . ,(t-get start :line)) (character . ,(t-get start :character))
                                               (code . ,(t-get d :code)) (message . ,(t-get d :message)))))
                                         (gethash (lsp--fix-path-casing buffer-file-name) (lsp-diagnostics t)))))
                  result)
            (push (cons 'flymake
                        (vconcat (mapcar (lambda (d) (let ((lc (t-line-col (flymake-diagnostic-beg d))))
                                                       `((line . ,(car lc)) (character . ,(cdr lc))
                                                         (message . ,(flymake-diagnostic-text d)))))
                                         (flymake-diagnostics))))
                  result)))
        (let ((hovers nil))
          (dolist (col (list (t-exp 'hover 'character) (t-exp 'hover 'lastCharacter)))
            (goto-char (t-pos (t-exp 'hover 'line) col))
            (push (cons (format "%s:%s" (t-exp 'hover 'line) col)
                        (t-hover-text (lsp-request "textDocument/hover" (lsp--text-document-position-params))))
                  hovers))
          (push (cons 'hovers hovers) result))
        (t-insert-completion-line)             ; sent as didChange by lsp-mode's after-change hook
        (push (cons 'completion (t-completion-items
                                 (lsp-request "textDocument/completion" (lsp--text-document-position-params))))
              result)
        (push (cons 'total_ms (* 1000 (- (float-time) t0))) result)
        (push (cons 'override_severity (t-override-severity)) result)
        (push (cons 'not_found_message (t-not-found-message)) result)
        (set-buffer-modified-p nil)
        (ignore-errors (lsp-workspace-shutdown (car (lsp-workspaces))))
        (t-finish 0 result))
    (error (push (cons 'error (error-message-string err)) result)
           (ignore-errors (lsp-workspace-shutdown (car (lsp-workspaces))))
           (t-finish 1 result))))
