;;; asyncapi-ls.el --- AsyncAPI security language server for eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Author: asyncapi-ls contributors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: languages, tools, asyncapi, lsp
;; URL: https://github.com/asyncapi-ls/asyncapi-ls
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Registers the asyncapi-ls language server (security diagnostics, an
;; "effective security" hover and security-scheme completion for AsyncAPI
;; documents) with eglot and with lsp-mode.  Only YAML/JSON buffers with a root
;; `asyncapi' key are handed to the server.
;;
;; Install the server (Go 1.26+):
;;   git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install .
;; (once the module is published: go install github.com/asyncapi-ls/asyncapi-ls@latest)
;;
;; Needs eglot (built in since Emacs 29; the `eglot' package on 27/28) or
;; lsp-mode, and a YAML major mode: yaml-mode, or yaml-ts-mode (built in
;; since Emacs 29, with the YAML tree-sitter grammar).
;;
;; eglot:
;;   (require 'asyncapi-ls)
;;   (asyncapi-ls-eglot-setup)      ; M-x eglot in an AsyncAPI buffer now uses asyncapi-ls
;;   (add-hook 'yaml-mode-hook #'asyncapi-ls-eglot-ensure)   ; start it automatically
;;
;; lsp-mode:
;;   (require 'asyncapi-ls)
;;   (asyncapi-ls-lsp-mode-setup)   ; client `asyncapi-ls', active only in AsyncAPI buffers
;;   (add-hook 'yaml-mode-hook #'lsp-deferred)
;;
;; Settings: `asyncapi-ls-command', `asyncapi-ls-severity-overrides',
;; `asyncapi-ls-show-hints'.  After changing them, M-x asyncapi-ls-update-settings.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defgroup asyncapi-ls nil
  "AsyncAPI security language server."
  :group 'tools
  :prefix "asyncapi-ls-")

(defcustom asyncapi-ls-command '("asyncapi-ls")
  "Command (program and arguments) that starts the asyncapi-ls server on stdio."
  :type '(repeat string))

(defcustom asyncapi-ls-severity-overrides nil
  "Severity per diagnostic code, an alist of (CODE . SEVERITY).
CODE is a string such as \"security-undefined-scheme\"; SEVERITY is one of
\"error\", \"warning\", \"information\", \"hint\" or \"off\"."
  :type '(alist :key-type string
                :value-type (choice (const "error") (const "warning") (const "information")
                                    (const "hint") (const "off"))))

(defcustom asyncapi-ls-show-hints t
  "Whether the server publishes hint-level diagnostics."
  :type 'boolean)

(defcustom asyncapi-ls-yaml-modes '(yaml-mode yaml-ts-mode)
  "Major modes of YAML buffers that may hold AsyncAPI documents."
  :type '(repeat symbol))

(defcustom asyncapi-ls-json-modes '(json-mode js-json-mode json-ts-mode jsonc-mode)
  "Major modes of JSON buffers that may hold AsyncAPI documents."
  :type '(repeat symbol))

(defconst asyncapi-ls-install-command
  "git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install ."
  "Shell command that installs the server today, from a clone.")

(defconst asyncapi-ls-install-command-published "go install github.com/asyncapi-ls/asyncapi-ls@latest"
  "Shell command that installs the server once the module is published.")

(defun asyncapi-ls-document-p (&optional buffer)
  "Return non-nil if BUFFER (default: current) is an AsyncAPI document.
That is a YAML document with a root `asyncapi' key (at column 0) or a JSON
document with an \"asyncapi\" key, looked for in the first 64 KiB."
  (with-current-buffer (or buffer (current-buffer))
    (save-excursion
      (save-restriction
        (widen)
        (goto-char (point-min))
        (skip-chars-forward " \t\r\n")
        (let ((limit (min (point-max) (+ (point-min) 65536)))
              (case-fold-search nil))
          (if (eq (char-after) ?{)
              (re-search-forward "[\"']?asyncapi[\"']?[ \t\r\n]*:" limit t)
            (goto-char (point-min))
            (re-search-forward "^\\(?:asyncapi\\|\"asyncapi\"\\|'asyncapi'\\)[ \t]*:" limit t)))))))

(defun asyncapi-ls--object (alist)
  "Return ALIST (string keys) as a hash table, which encodes as a JSON object."
  (let ((h (make-hash-table :test 'equal)))
    (dolist (kv alist h) (puthash (format "%s" (car kv)) (cdr kv) h))))

(defun asyncapi-ls-settings ()
  "The server settings.
Sent as initializationOptions and in didChangeConfiguration."
  (list :severityOverrides (asyncapi-ls--object asyncapi-ls-severity-overrides)
        :showHints (if asyncapi-ls-show-hints t :json-false)))

(defun asyncapi-ls--check-command ()
  "Signal a helpful error when the server binary cannot be found."
  (let ((program (car asyncapi-ls-command)))
    (unless (or (and (file-name-absolute-p program) (file-executable-p program))
                (executable-find program))
      (user-error "asyncapi-ls: `%s' not found. Install it (Go 1.26+) with `%s' (and put $(go env GOPATH)/bin on PATH; once the module is published, `%s' also works) or set `asyncapi-ls-command'"
                  program asyncapi-ls-install-command asyncapi-ls-install-command-published))))

;;;; eglot

(defvar eglot-server-programs)
(declare-function eglot "eglot")
(declare-function eglot-ensure "eglot")
(declare-function eglot-current-server "eglot")
(declare-function eglot--path-to-uri "eglot")
(declare-function jsonrpc-notify "jsonrpc")
(declare-function jsonrpc-request "jsonrpc")

(with-eval-after-load 'eglot
  (defclass eglot-asyncapi-ls (eglot-lsp-server) ()
    :documentation "asyncapi-ls, the AsyncAPI security language server.")
  (cl-defmethod eglot-initialization-options ((_server eglot-asyncapi-ls))
    (asyncapi-ls-settings))
  ;; eglot pushes `eglot-workspace-configuration' on connect (often {}); follow it
  ;; with our own section so the server ends up with these settings.
  (add-hook 'eglot-connect-hook #'asyncapi-ls--eglot-push-settings 90))

(defun asyncapi-ls--eglot-push-settings (server)
  "Send the asyncapi-ls settings to SERVER if it is an asyncapi-ls server."
  (when (object-of-class-p server (intern "eglot-asyncapi-ls"))
    (jsonrpc-notify server :workspace/didChangeConfiguration
                    (list :settings (list :asyncapi-ls (asyncapi-ls-settings))))))

(defun asyncapi-ls--mode-matches-p (spec mode)
  "Non-nil if the `eglot-server-programs' key SPEC covers MODE.
SPEC is a mode, a list of modes, or (MODE :language-id ID) entries."
  (cl-some (lambda (s) (let ((m (if (consp s) (car s) s))) (provided-mode-derived-p mode m)))
           (if (and (consp spec) (not (keywordp (cadr spec)))) spec (list spec))))

(defun asyncapi-ls--eglot-contact (&optional interactive)
  "Contact for eglot: asyncapi-ls in AsyncAPI buffers.
In other buffers, the contact of the next matching entry of
`eglot-server-programs'; INTERACTIVE is passed on to it."
  (if (asyncapi-ls-document-p)
      (progn (asyncapi-ls--check-command)
             (cons 'eglot-asyncapi-ls asyncapi-ls-command))
    (let ((next (cl-find-if (lambda (entry)
                              (and (not (eq (cdr entry) #'asyncapi-ls--eglot-contact))
                                   (asyncapi-ls--mode-matches-p (car entry) major-mode)))
                            eglot-server-programs)))
      (when next
        (if (functionp (cdr next)) (funcall (cdr next) interactive) (cdr next))))))

;;;###autoload
(defun asyncapi-ls-eglot-setup ()
  "Register asyncapi-ls with eglot for YAML and JSON AsyncAPI documents.
Other YAML/JSON buffers keep whatever server eglot would otherwise use."
  (require 'eglot)
  (dolist (entry (list (cons (mapcar (lambda (m) (list m :language-id "yaml")) asyncapi-ls-yaml-modes)
                             #'asyncapi-ls--eglot-contact)
                       (cons (mapcar (lambda (m) (list m :language-id "json")) asyncapi-ls-json-modes)
                             #'asyncapi-ls--eglot-contact)))
    (setq eglot-server-programs
          (cons entry (cl-remove-if (lambda (e) (equal (car e) (car entry))) eglot-server-programs)))))

;;;###autoload
(defun asyncapi-ls-eglot-ensure ()
  "Start eglot in this buffer if it is an AsyncAPI document (for mode hooks)."
  (when (asyncapi-ls-document-p)
    (eglot-ensure)))

;;;; lsp-mode

(defvar lsp-language-id-configuration)
(defvar lsp--cur-workspace)
(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp--set-configuration "lsp-mode")
(declare-function lsp-workspaces "lsp-mode")
(declare-function lsp-request "lsp-mode")
(declare-function lsp--buffer-uri "lsp-mode")
(declare-function lsp--client-server-id "lsp-mode")
(declare-function lsp--workspace-client "lsp-mode")

(defcustom asyncapi-ls-lsp-mode-add-on nil
  "Non-nil: run asyncapi-ls next to lsp-mode's YAML/JSON server.
Nil: asyncapi-ls replaces it in AsyncAPI buffers."
  :type 'boolean)

(defun asyncapi-ls--lsp-settings ()
  "Settings for lsp-mode's didChangeConfiguration: {\"asyncapi-ls\": {...}}."
  (let ((h (make-hash-table :test 'equal)))
    (puthash "asyncapi-ls" (asyncapi-ls-settings) h)
    h))

;;;###autoload
(defun asyncapi-ls-lsp-mode-setup ()
  "Register the `asyncapi-ls' client with lsp-mode.
The client is active only in AsyncAPI buffers."
  (require 'lsp-mode)
  (dolist (m asyncapi-ls-yaml-modes) (add-to-list 'lsp-language-id-configuration (cons m "yaml")))
  (dolist (m asyncapi-ls-json-modes) (add-to-list 'lsp-language-id-configuration (cons m "json")))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () asyncapi-ls-command)
                                          (lambda () (executable-find (car asyncapi-ls-command))))
    :activation-fn (lambda (_file mode)
                     (and (memq mode (append asyncapi-ls-yaml-modes asyncapi-ls-json-modes))
                          (asyncapi-ls-document-p)))
    :priority 1
    :add-on? asyncapi-ls-lsp-mode-add-on
    :server-id 'asyncapi-ls
    :initialization-options #'asyncapi-ls-settings
    :initialized-fn (lambda (workspace)
                      (let ((lsp--cur-workspace workspace))
                        (lsp--set-configuration (asyncapi-ls--lsp-settings)))))))

;;;; Commands

(defun asyncapi-ls-update-settings ()
  "Send the current settings to running asyncapi-ls servers."
  (interactive)
  (let ((sent 0))
    (when (and (featurep 'eglot) (eglot-current-server)
               (object-of-class-p (eglot-current-server) (intern "eglot-asyncapi-ls")))
      (asyncapi-ls--eglot-push-settings (eglot-current-server))
      (cl-incf sent))
    (when (and (featurep 'lsp-mode) (fboundp 'lsp-workspaces))
      (dolist (w (lsp-workspaces))
        (when (eq (lsp--client-server-id (lsp--workspace-client w)) 'asyncapi-ls)
          (let ((lsp--cur-workspace w)) (lsp--set-configuration (asyncapi-ls--lsp-settings)))
          (cl-incf sent))))
    (message "asyncapi-ls: settings sent to %d server(s)" sent)))

(defun asyncapi-ls-show-effective-security ()
  "Show the effective-security table of this document.
The server computes it; it is shown in a Markdown buffer."
  (interactive)
  (let* ((uri (cond ((and (featurep 'eglot) (eglot-current-server))
                     (eglot--path-to-uri buffer-file-name))
                    ((and (featurep 'lsp-mode) (lsp-workspaces)) (lsp--buffer-uri))
                    (t (user-error "asyncapi-ls is not running in this buffer"))))
         (params (list :command "asyncapi-ls.effectiveSecurity" :arguments (vector uri)))
         (result (if (and (featurep 'eglot) (eglot-current-server))
                     (jsonrpc-request (eglot-current-server) :workspace/executeCommand params)
                   (lsp-request "workspace/executeCommand" params)))
         (markdown (plist-get result :markdown)))
    (unless (stringp markdown)
      (setq markdown (and (hash-table-p result) (gethash "markdown" result))))
    (with-current-buffer (get-buffer-create "*asyncapi effective security*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (or markdown "No effective-security table for this document."))
        (goto-char (point-min))
        (when (fboundp 'gfm-view-mode) (gfm-view-mode)))
      (display-buffer (current-buffer)))))

(provide 'asyncapi-ls)
;;; asyncapi-ls.el ends here
