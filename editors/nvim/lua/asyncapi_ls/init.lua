-- asyncapi-ls for Neovim: attach the asyncapi-ls language server to YAML/JSON
-- buffers that are AsyncAPI documents (a root `asyncapi` key).
--
--   require('asyncapi_ls').setup({
--     cmd = { 'asyncapi-ls' },                 -- or { '/path/to/asyncapi-ls' }
--     severity_overrides = { ['security-undefined-scheme'] = 'warning' },
--     show_hints = true,
--     on_attach = function(client, bufnr) end, -- optional
--     capabilities = nil,                      -- optional, e.g. from cmp_nvim_lsp
--     keymaps = true,                          -- 0.7-0.9: buffer-local K and omnifunc
--   })
--
-- :AsyncapiSecurity (in attached buffers) shows the effective-security
-- table of the document in a scratch buffer.
--
-- Works on Neovim 0.7 (vim.lsp.start_client), 0.8-0.10 (vim.lsp.start) and
-- 0.11+ (vim.lsp.config/vim.lsp.enable with the bundled lsp/asyncapi_ls.lua).
local M = {}

M.name = 'asyncapi_ls'
-- The route that works today; `go install github.com/asyncapi-ls/asyncapi-ls@latest`
-- works once the module is published.
M.install_command = 'git clone https://github.com/asyncapi-ls/asyncapi-ls && cd asyncapi-ls && go install .'
M.install_command_published = 'go install github.com/asyncapi-ls/asyncapi-ls@latest'
M.security_command = 'asyncapi-ls.effectiveSecurity'
M.filetypes = { 'yaml', 'json', 'yaml.asyncapi', 'json.asyncapi' }
M.root_markers = { '.git', 'asyncapi.yaml', 'asyncapi.yml', 'asyncapi.json' }

-- How many lines to look at when detecting a document. The root key is
-- conventionally the first line; JSON may be minified into one long line.
local DETECT_LINES = 200

--- Reports whether the lines of a buffer are an AsyncAPI document.
---@param lines string[]
---@return boolean
function M.is_asyncapi_lines(lines)
  local first
  for _, l in ipairs(lines) do
    first = l:match('^%s*(%S)')
    if first then break end
  end
  if not first then return false end
  if first == '{' then
    -- JSON (or flow YAML): a key named asyncapi
    local text = table.concat(lines, '\n')
    return text:find('["\']?asyncapi["\']?%s*:') ~= nil
  end
  for _, l in ipairs(lines) do
    -- block YAML: a key at column 0 is a root key
    if l:match('^asyncapi%s*:') or l:match('^"asyncapi"%s*:') or l:match("^'asyncapi'%s*:") then
      return true
    end
  end
  return false
end

--- Reports whether buffer `bufnr` (default: current) is an AsyncAPI document.
---@param bufnr integer|nil
---@return boolean
function M.is_asyncapi(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not vim.api.nvim_buf_is_valid(bufnr) then return false end
  local ok = M.is_asyncapi_lines(vim.api.nvim_buf_get_lines(bufnr, 0, DETECT_LINES, false))
  vim.b[bufnr].asyncapi = ok
  return ok
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if vim.fs and vim.fs.find and name ~= '' then
    local found = vim.fs.find(M.root_markers, { path = vim.fs.dirname(name), upward = true })[1]
    if found then return vim.fs.dirname(found) end
  end
  if name ~= '' then return vim.fn.fnamemodify(name, ':p:h') end
  return vim.fn.getcwd()
end

--- The server settings, as sent in initializationOptions and didChangeConfiguration.
function M.server_settings(opts)
  opts = opts or {}
  local overrides = opts.severity_overrides
  if overrides == nil or next(overrides) == nil then overrides = vim.empty_dict() end
  local show_hints = opts.show_hints
  if show_hints == nil then show_hints = true end
  return { severityOverrides = overrides, showHints = show_hints }
end

local warned = false
local function check_cmd(cmd)
  if vim.fn.executable(cmd[1]) == 1 then return true end
  if not warned then
    warned = true
    vim.schedule(function()
      vim.notify(('asyncapi-ls: `%s` was not found. Install it with `%s` (Go 1.26+; it lands in '
        .. '$(go env GOPATH)/bin, which must be on PATH; once the module is published, `%s` also works), '
        .. "or pass cmd = { '/path/to/asyncapi-ls' } to require('asyncapi_ls').setup()."):format(
          cmd[1], M.install_command, M.install_command_published),
        vim.log.levels.ERROR)
    end)
  end
  return false
end

local function attached_client(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr, name = M.name })[1]
  end
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == M.name then return c end
  end
end

--- Shows the effective security of every operation of buffer `bufnr` (default: current)
--- in a scratch buffer (Markdown), from the server command asyncapi-ls.effectiveSecurity.
--- `done(buf)` (optional) is called with the scratch buffer once it is filled.
function M.show_security(bufnr, done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local client = attached_client(bufnr)
  if not client then
    vim.notify('asyncapi-ls: the server is not attached to this buffer (is it an AsyncAPI document?)', vim.log.levels.WARN)
    return
  end
  local params = { command = M.security_command, arguments = { vim.uri_from_bufnr(bufnr) } }
  vim.lsp.buf_request(bufnr, 'workspace/executeCommand', params, function(err, result, ctx)
    if ctx and ctx.client_id ~= client.id then return end
    if err then
      vim.notify('asyncapi-ls: effective security failed: ' .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    end
    local markdown = type(result) == 'table' and result.markdown or nil
    if type(markdown) ~= 'string' or markdown == '' then
      vim.notify('asyncapi-ls: the server returned no effective-security table', vim.log.levels.WARN)
      return
    end
    local name = 'asyncapi-ls://effective-security/' .. vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':t')
    local buf = -1
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_get_name(b) == name then buf = b end
    end
    if buf == -1 then
      buf = vim.api.nvim_create_buf(false, true) -- unlisted scratch: nofile, no swap
      vim.api.nvim_buf_set_name(buf, name)
      vim.bo[buf].bufhidden = 'wipe'
      vim.bo[buf].filetype = 'markdown'
    end
    vim.bo[buf].modifiable = true
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, '\n', { plain = true }))
    vim.bo[buf].modifiable = false
    vim.bo[buf].modified = false
    local win = vim.fn.bufwinid(buf)
    if win == -1 then
      vim.cmd('botright split')
      vim.api.nvim_win_set_buf(0, buf)
      vim.wo.wrap = true
    else
      vim.api.nvim_set_current_win(win)
    end
    if done then done(buf) end
  end)
end

--- Buffer setup when the client attaches: :AsyncapiSecurity, and on Neovim 0.7-0.9
--- (which do not do it themselves) omnifunc and a buffer-local K for hover.
function M.on_attach(client, bufnr, opts)
  opts = opts or M.options or {}
  vim.api.nvim_buf_create_user_command(bufnr, 'AsyncapiSecurity', function() M.show_security(bufnr) end,
    { desc = 'asyncapi-ls: effective security of every operation (scratch buffer)' })
  if vim.fn.has('nvim-0.10') == 0 and opts.keymaps ~= false then
    vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc'
    -- keep a K the user mapped for this buffer; the global K (keywordprg, man pages) is replaced
    if vim.fn.maparg('K', 'n', false, true).buffer ~= 1 then
      vim.keymap.set('n', 'K', vim.lsp.buf.hover, { buffer = bufnr, desc = 'asyncapi-ls: hover' })
    end
  end
  if opts.on_attach then opts.on_attach(client, bufnr) end
end

--- Builds the client configuration shared by every Neovim version.
function M.config(opts)
  opts = opts or {}
  local settings = M.server_settings(opts)
  return {
    name = M.name,
    cmd = opts.cmd or { 'asyncapi-ls' },
    init_options = settings,
    settings = { ['asyncapi-ls'] = settings },
    capabilities = opts.capabilities,
    on_attach = function(client, bufnr) M.on_attach(client, bufnr, opts) end,
    handlers = opts.handlers,
    on_init = function(client, result)
      -- Neovim 0.7 only answers workspace/configuration; it never pushes settings.
      if vim.fn.has('nvim-0.8') == 0 then
        client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
      end
      if opts.on_init then opts.on_init(client, result) end
    end,
  }
end

local clients_07 = {} -- root_dir -> client id (Neovim 0.7)

--- Starts (or reuses) the client for `bufnr` if it is an AsyncAPI document.
function M.attach(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not M.is_asyncapi(bufnr) then return nil end
  local config = M.config(opts)
  if not check_cmd(config.cmd) then return nil end
  config.root_dir = root_dir(bufnr)
  if vim.lsp.start then -- 0.8+: reuses a client with the same name and root_dir
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_07[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) then
    id = vim.lsp.start_client(config)
    clients_07[config.root_dir] = id
  end
  if id then vim.lsp.buf_attach_client(bufnr, id) end
  return id
end

--- Sends new settings to running clients (e.g. after changing severity overrides).
function M.update_settings(opts)
  local settings = M.server_settings(opts)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  for _, client in ipairs(get({ name = M.name })) do
    if client.name == M.name then
      client.config.settings = { ['asyncapi-ls'] = settings }
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end
  end
end

--- Sets up detection and attachment. Call once from your config.
function M.setup(opts)
  opts = opts or {}
  M.options = opts
  if vim.lsp.config and vim.lsp.enable and opts.native ~= false then
    -- 0.11+: lsp/asyncapi_ls.lua (on 'runtimepath') is the base config; merge the options in.
    local c = M.config(opts)
    c.name, c.root_dir = nil, nil
    vim.lsp.config(M.name, c)
    vim.lsp.enable(M.name)
    return
  end
  local group = vim.api.nvim_create_augroup('asyncapi_ls', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'yaml', 'json', 'jsonc', 'yaml.*', 'json.*' },
    callback = function(args) M.attach(args.buf, opts) end,
  })
  -- a YAML/JSON buffer that becomes AsyncAPI while it is edited
  vim.api.nvim_create_autocmd({ 'BufWritePost', 'InsertLeave' }, {
    group = group,
    pattern = { '*.yaml', '*.yml', '*.json' },
    callback = function(args)
      if not vim.b[args.buf].asyncapi then M.attach(args.buf, opts) end
    end,
  })
  -- buffers that were already open when setup() ran
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) then
      local ft = vim.bo[buf].filetype
      if ft:match('^yaml') or ft:match('^json') then M.attach(buf, opts) end
    end
  end
end

return M
