;;; eglot-test.el --- headless eglot test of editors/emacs/asyncapi-ls.el  -*- lexical-binding: t; -*-
;; Usage: PLUGIN_DIR=editors/emacs LSP_CMD=asyncapi-ls LSP_FILE=demo.yaml LSP_OUT=out.json EXPECT=expect.json \
;;        timeout 60 emacs --batch -Q -l common.el -l eglot-test.el
(require 'eglot)
(require 'flymake)
(setq eglot-sync-connect t eglot-connect-timeout t-timeout eglot-autoshutdown t eglot-events-buffer-size 0)
(asyncapi-ls-eglot-setup)

(let ((result nil) (t0 (float-time)))
  (condition-case err
      (progn
        (find-file t-file)
        (unless (derived-mode-p 'yaml-mode) (yaml-mode))
        ;; `eglot-ensure' waits for post-command-hook, which never runs in --batch:
        ;; start eglot the way M-x eglot does, through asyncapi-ls' eglot-server-programs entry.
        (let ((contact (eglot--guess-contact)))
          (unless (eq (nth 2 contact) 'eglot-asyncapi-ls)
            (error "eglot-server-programs did not pick asyncapi-ls: %S" contact))
          (apply #'eglot contact))
        (unless (eglot-managed-p) (error "eglot did not manage the buffer"))
        (flymake-start)
        (let ((code (t-exp 'diagnostic 'code)))
          (unless (t-wait (lambda () (cl-some (lambda (d) (string-match-p (regexp-quote code) (flymake-diagnostic-text d)))
                                              (flymake-diagnostics)))
                          t-timeout)
            (error "timed out waiting for the %s diagnostic in flymake (have %S)" code
                   (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))))
        (push (cons 'diagnostics_ms (* 1000 (- (float-time) t0))) result)
        ;; what flymake shows: "SOURCE [CODE]: MESSAGE" at a buffer position
        (push (cons 'diagnostics
                    (vconcat (mapcar (lambda (d)
                                       (let ((lc (t-line-col (flymake-diagnostic-beg d)))
                                             (text (flymake-diagnostic-text d)))
                                         `((line . ,(car lc)) (character . ,(cdr lc))
                                           (code . ,(and (string-match "\\[\\([^]]+\\)\\]: " text) (match-string 1 text)))
                                           (message . ,text) (type . ,(format "%s" (flymake-diagnostic-type d))))))
                                     (flymake-diagnostics))))
              result)
        (let ((server (eglot-current-server)) (hovers nil))
          (dolist (col (list (t-exp 'hover 'character) (t-exp 'hover 'lastCharacter)))
            (goto-char (t-pos (t-exp 'hover 'line) col))
            (push (cons (format "%s:%s" (t-exp 'hover 'line) col)
                        (t-hover-text (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
                  hovers))
          (push (cons 'hovers hovers) result)
          ;; the edit goes to the server as didChange before the request (eglot flushes pending changes)
          (t-insert-completion-line)
          (eglot--signal-textDocument/didChange)
          (push (cons 'completion (t-completion-items (jsonrpc-request server :textDocument/completion (eglot--CompletionParams))))
                result))
        (push (cons 'total_ms (* 1000 (- (float-time) t0))) result)
        (push (cons 'override_severity (t-override-severity)) result)
        (push (cons 'not_found_message (t-not-found-message)) result)
        (set-buffer-modified-p nil)
        (ignore-errors (eglot-shutdown (eglot-current-server) nil 3))
        (t-finish 0 result))
    (error (push (cons 'error (error-message-string err)) result)
           (ignore-errors (eglot-shutdown (eglot-current-server) nil 3))
           (t-finish 1 result))))
