;;; common.el --- shared helpers of the headless Emacs tests (eglot and lsp-mode)  -*- lexical-binding: t; -*-
;; Env: PLUGIN_DIR (editors/emacs), LSP_CMD, LSP_FILE, LSP_OUT, EXPECT, LSP_TIMEOUT_S.
(require 'package)
;; with -Q Debian's site-start is skipped: point package.el at the elpa-* debs
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(setq package-user-dir (make-temp-file "elpa-user" t))
(package-initialize)
(require 'json)
(require 'cl-lib)
(require 'yaml-mode)
(add-to-list 'load-path (expand-file-name (or (getenv "PLUGIN_DIR") (error "PLUGIN_DIR not set"))))
(require 'asyncapi-ls)

(defvar t-file (expand-file-name (or (getenv "LSP_FILE") (error "LSP_FILE not set"))))
(defvar t-out (expand-file-name (or (getenv "LSP_OUT") (error "LSP_OUT not set"))))
(defvar t-timeout (string-to-number (or (getenv "LSP_TIMEOUT_S") "20")))
(defvar t-expect (let ((json-object-type 'alist) (json-key-type 'symbol))
                   (json-read-file (or (getenv "EXPECT") (error "EXPECT not set")))))
(defun t-exp (&rest keys) (let ((v t-expect)) (dolist (k keys v) (setq v (alist-get k v)))))
(setq asyncapi-ls-command (split-string (or (getenv "LSP_CMD") (error "LSP_CMD not set"))))

(defun t-wait (pred secs)
  "Pump the event loop until PRED is non-nil or SECS elapse (timers do not run in batch)."
  (let ((deadline (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(defun t-pos (line col)
  (save-excursion (goto-char (point-min)) (forward-line line) (forward-char col) (point)))

(defun t-line-col (pos)
  (save-excursion (goto-char pos) (cons (1- (line-number-at-pos pos)) (current-column))))

(defun t-get (obj key)
  "KEY of OBJ, a plist or hash table (lsp-mode uses hash tables, eglot plists)."
  (cond ((hash-table-p obj) (gethash (substring (symbol-name key) 1) obj))
        ((listp obj) (plist-get obj key))))

(defun t-hover-text (hover)
  "Markdown/plain text of a Hover result."
  (let ((c (t-get hover :contents)))
    (cond ((null c) "")
          ((stringp c) c)
          ((t-get c :value) (t-get c :value))
          ((vectorp c) (mapconcat (lambda (x) (if (stringp x) x (or (t-get x :value) ""))) c "\n"))
          (t (format "%S" c)))))

(defun t-completion-items (result)
  (let ((items (if (vectorp result) result (t-get result :items))))
    (vconcat (mapcar (lambda (it)
                       (let ((edit (t-get it :textEdit)))
                         `((label . ,(t-get it :label))
                           (insert . ,(or (and edit (t-get edit :newText)) (t-get it :insertText) (t-get it :label))))))
                     items))))

(defun t-insert-completion-line ()
  "Type the new empty list item of the completion check; return (LINE . COL) at its end."
  (goto-char (t-pos (t-exp 'completion 'afterLine) 0))
  (end-of-line)
  (insert "\n" (t-exp 'completion 'newLine))
  (t-line-col (point)))

(defun t-override-severity ()
  "Set a warning override, send it with `asyncapi-ls-update-settings'; return the LSP
severity flymake then shows for the expected diagnostic (2 = warning)."
  (let ((code (t-exp 'diagnostic 'code)) (sev nil))
    (setq asyncapi-ls-severity-overrides (list (cons code "warning")))
    (asyncapi-ls-update-settings)
    (t-wait (lambda ()
              (let ((d (cl-find-if (lambda (d) (string-match-p "missingScheme" (flymake-diagnostic-text d)))
                                   (flymake-diagnostics))))
                (setq sev (and d (pcase (format "%s" (flymake-diagnostic-type d))
                                   ((or "eglot-error" ":error") 1) ((or "eglot-warning" ":warning") 2) (_ 3))))
                (eql sev 2)))
            t-timeout)
    sev))

(defun t-not-found-message ()
  "The error a user gets when the server binary is missing."
  (let ((asyncapi-ls-command '("/nonexistent/asyncapi-ls")))
    (condition-case err (progn (asyncapi-ls--check-command) "no error")
      (user-error (error-message-string err)))))

(defun t-finish (code result)
  (let ((json-encoding-pretty-print nil))
    (with-temp-file t-out (insert (json-encode result))))
  (message "%s" (if (= code 0) "harness done" (format "harness error: %s" (alist-get 'error result))))
  (kill-emacs code))
