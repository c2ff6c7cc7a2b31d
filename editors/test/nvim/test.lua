-- Headless Neovim test of the asyncapi-ls plugin (editors/nvim) against a real server.
-- Usage: PLUGIN_DIR=editors/nvim LSP_CMD=/path/asyncapi-ls LSP_FILE=demo.yaml LSP_OUT=out.json EXPECT=expect.json \
--        timeout 60 nvim --headless -u NONE -i NONE -n -c 'luafile test.lua'
-- Works on Neovim 0.7 (Debian 12) and newer. Writes a normalised result (see check.js).
local out = assert(os.getenv('LSP_OUT'), 'LSP_OUT not set')
local result = { editor = 'nvim', diagnostics = {}, hovers = {}, completion = {}, log = {} }

local function finish(code)
  local f = io.open(out, 'w'); f:write(vim.fn.json_encode(result)); f:close()
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  vim.lsp.stop_client(get(), false)
  vim.wait(3000, function() return #get() == 0 end, 20)
  vim.cmd(code == 0 and 'qall!' or ('cquit ' .. code))
end

local ok, err = pcall(function()
  local E = vim.fn.json_decode(table.concat(vim.fn.readfile(assert(os.getenv('EXPECT'))), '\n'))
  local file = assert(os.getenv('LSP_FILE'), 'LSP_FILE not set')
  local timeout = tonumber(os.getenv('LSP_TIMEOUT_MS') or '20000')
  vim.opt.runtimepath:prepend(assert(os.getenv('PLUGIN_DIR'), 'PLUGIN_DIR not set'))
  -- lsp/asyncapi_ls.lua is for Neovim 0.11+ (vim.lsp.config); here we can only load it and check its shape
  local native = assert(loadfile(os.getenv('PLUGIN_DIR') .. '/lsp/asyncapi_ls.lua'))()
  assert(native.cmd[1] == 'asyncapi-ls' and type(native.root_dir) == 'function' and vim.tbl_contains(native.filetypes, 'yaml'),
    'lsp/asyncapi_ls.lua does not return the expected config')
  vim.cmd('filetype on') -- -u NONE turns detection off; the plugin keys on the FileType event

  -- a missing binary: one error message that says how to install it
  do
    local notify, got = vim.notify, nil
    vim.notify = function(msg) got = msg end
    local scratch = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_lines(scratch, 0, -1, false, { 'asyncapi: 3.0.0' })
    require('asyncapi_ls').attach(scratch, { cmd = { '/nonexistent/asyncapi-ls' } })
    vim.wait(2000, function() return got ~= nil end, 10)
    vim.notify = notify
    vim.api.nvim_buf_delete(scratch, { force = true })
    result.not_found_message = got
  end

  local raw = {}
  local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
  require('asyncapi_ls').setup({
    cmd = vim.split(assert(os.getenv('LSP_CMD'), 'LSP_CMD not set'), ' ', { trimempty = true }),
    native = false, -- also exercise the 0.7-0.10 path on newer Neovim
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, res, ctx, cfg)
        raw[res.uri] = res
        return publish(e, res, ctx, cfg)
      end,
      ['window/logMessage'] = function(_, res) table.insert(result.log, res.message) end,
    },
  })

  local function client()
    local get = vim.lsp.get_clients or vim.lsp.get_active_clients
    for _, c in ipairs(get()) do if c.name == 'asyncapi_ls' then return c end end
  end
  local plain = os.getenv('PLAIN_FILE')
  if plain then -- a YAML file without a root asyncapi key must not start the server
    vim.cmd('edit ' .. vim.fn.fnameescape(plain))
    vim.wait(300, function() return client() ~= nil end, 20)
    result.plain_file_started_server = client() ~= nil
    if client() then error('the plugin started asyncapi_ls for ' .. plain .. ', which is not AsyncAPI') end
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  result.filetype = vim.bo[buf].filetype
  local t0 = vim.loop.hrtime()
  local function has_expected()
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == E.diagnostic.code then return true end end
    return false
  end
  if not vim.wait(timeout, function() local c = client(); return c and c.initialized and raw[uri] ~= nil and has_expected() end, 20) then
    error(client() and 'timed out waiting for the ' .. E.diagnostic.code .. ' diagnostic (got '
      .. vim.inspect(raw[uri]) .. ')' or 'the plugin did not start asyncapi_ls for ' .. file)
  end
  result.diagnostics_ms = (vim.loop.hrtime() - t0) / 1e6
  -- what the editor shows (vim.diagnostic), not just what was sent
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, { line = d.lnum, character = d.col, code = d.code, message = d.message, severity = d.severity })
  end

  local function req(method, params)
    local resp, e = vim.lsp.buf_request_sync(buf, method, params, timeout)
    if not resp then error(method .. ' failed: ' .. tostring(e)) end
    for _, r in pairs(resp) do
      if r.err then error(method .. ' error: ' .. vim.inspect(r.err)) end
      return r.result
    end
  end
  local function pos(l, c) return { textDocument = { uri = uri }, position = { line = l, character = c } } end
  local function hover_text(h)
    if h == nil or h == vim.NIL then return '' end
    return table.concat(vim.lsp.util.convert_input_to_markdown_lines(h.contents), '\n')
  end
  for _, c in ipairs({ E.hover.character, E.hover.lastCharacter }) do
    result.hovers[E.hover.line .. ':' .. c] = hover_text(req('textDocument/hover', pos(E.hover.line, c)))
  end

  -- type a new, empty list item after the last security requirement and complete there
  vim.api.nvim_buf_set_lines(buf, E.completion.afterLine + 1, E.completion.afterLine + 1, false, { E.completion.newLine })
  local line = E.completion.afterLine + 1
  vim.api.nvim_win_set_cursor(0, { line + 1, #E.completion.newLine })
  local comp = req('textDocument/completion', pos(line, #E.completion.newLine))
  local items = (comp and comp ~= vim.NIL) and (comp.items or comp) or {}
  for _, it in ipairs(items) do
    local insert = it.insertText
    if it.textEdit and it.textEdit ~= vim.NIL then insert = it.textEdit.newText end
    table.insert(result.completion, { label = it.label, insert = insert or it.label })
  end
  result.total_ms = (vim.loop.hrtime() - t0) / 1e6

  -- Neovim 0.7-0.9 set neither omnifunc nor K for LSP: the plugin does (else K runs `man`)
  result.omnifunc = vim.bo[buf].omnifunc
  result.k_buffer_local = vim.fn.maparg('K', 'n', false, true).buffer == 1
  local function floats()
    local out = {}
    for _, w in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(w).relative ~= '' then table.insert(out, w) end
    end
    return out
  end
  vim.api.nvim_win_set_cursor(0, { E.hover.line + 1, E.hover.character })
  vim.cmd('normal K') -- with mappings, as typed
  vim.wait(timeout, function() return #floats() > 0 end, 20)
  local hover_lines = {}
  for _, w in ipairs(floats()) do
    vim.list_extend(hover_lines, vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false))
    vim.api.nvim_win_close(w, true)
  end
  result.k_hover = table.concat(hover_lines, '\n')

  -- :AsyncapiSecurity: the effective-security table in a scratch buffer
  vim.cmd('AsyncapiSecurity')
  local scratch
  vim.wait(timeout, function()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_get_name(b):find('asyncapi%-ls://effective%-security/') then scratch = b end
    end
    return scratch ~= nil and vim.fn.bufwinid(scratch) ~= -1
  end, 20)
  if scratch then
    result.security = {
      name = vim.api.nvim_buf_get_name(scratch), filetype = vim.bo[scratch].filetype,
      buftype = vim.bo[scratch].buftype, modifiable = vim.bo[scratch].modifiable,
      shown = vim.fn.bufwinid(scratch) ~= -1,
      text = table.concat(vim.api.nvim_buf_get_lines(scratch, 0, -1, false), '\n'),
    }
  end

  -- settings at run time: a severity override sent with workspace/didChangeConfiguration
  require('asyncapi_ls').update_settings({ severity_overrides = { [E.diagnostic.code] = 'warning' } })
  local function severity()
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == E.diagnostic.code then return d.severity end end
  end
  vim.wait(5000, function() return severity() == vim.diagnostic.severity.WARN end, 20)
  result.override_severity = severity()

  -- rename and quick fix, as a user runs them (vim.lsp.buf.rename, vim.lsp.buf.code_action with the
  -- prompts answered), in a second document with a scheme used three times and a misspelt one
  local nav_file = os.getenv('NAV_FILE')
  if nav_file then
    local N = E.nav
    local t_nav = vim.loop.hrtime()
    vim.cmd('edit ' .. vim.fn.fnameescape(nav_file))
    local nbuf = vim.api.nvim_get_current_buf()
    local nuri = vim.uri_from_bufnr(nbuf)
    local nav = { rename = {}, quickfix = {} }
    result.nav = nav
    -- diagnostics published for the buffer's current version (the server sends the version)
    local function settled()
      local r = raw[nuri]
      return r ~= nil and r.version == vim.lsp.util.buf_versions[nbuf]
    end
    local function shown()
      local out = {}
      for _, d in ipairs(vim.diagnostic.get(nbuf)) do table.insert(out, ('%s@%d:%d'):format(d.code, d.lnum, d.col)) end
      table.sort(out)
      return out
    end
    -- runs a command that edits the buffer through the server and records the buffer and the
    -- diagnostics of the edited version (a command that edits nothing waits out the timeout)
    local function edit_step(rec, command)
      local tick = vim.api.nvim_buf_get_changedtick(nbuf)
      command()
      vim.wait(timeout, function() return vim.api.nvim_buf_get_changedtick(nbuf) ~= tick end, 20)
      vim.wait(timeout, settled, 20)
      rec.lines = vim.api.nvim_buf_get_lines(nbuf, 0, -1, false)
      rec.diagnostics_after = shown()
    end
    if not vim.wait(timeout, function() return vim.lsp.buf_is_attached(nbuf, client().id) and settled() end, 20) then
      error('no diagnostics for ' .. nav_file .. ' (is asyncapi_ls attached?)')
    end
    nav.diagnostics_before = shown()
    local caps = client().server_capabilities or {}
    nav.capabilities = { renameProvider = caps.renameProvider or false, codeActionProvider = caps.codeActionProvider or false }

    -- rename: the prompt comes prefilled from textDocument/prepareRename
    if caps.renameProvider then
      local input = vim.ui.input
      vim.ui.input = function(opts, on_confirm)
        nav.rename.prompt_default = opts.default
        on_confirm(N.rename.to)
      end
      vim.api.nvim_win_set_cursor(0, { N.rename.line + 1, N.rename.character })
      edit_step(nav.rename, vim.lsp.buf.rename)
      vim.ui.input = input
    end

    -- quick fix for the diagnostic under the cursor: the fix the server prefers
    if caps.codeActionProvider then
      local target
      for _, d in ipairs(vim.diagnostic.get(nbuf)) do if d.code == N.quickfix.code then target = d end end
      if not target then error('no ' .. N.quickfix.code .. ' diagnostic in ' .. nav_file .. ' to fix') end
      nav.quickfix.diagnostic = ('%s@%d:%d'):format(target.code, target.lnum, target.col)
      vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
      local select = vim.ui.select
      vim.ui.select = function(items, opts, on_choice)
        nav.quickfix.offered = {}
        local pick
        for _, it in ipairs(items) do
          local a = it.action or it[2] -- 0.10+: { action, ctx }; 0.7-0.9: { client_id, action }
          table.insert(nav.quickfix.offered, { title = a.title, kind = a.kind, preferred = a.isPreferred == true,
            diagnostics = vim.tbl_map(function(d) return d.code end, a.diagnostics or {}) })
          if a.isPreferred and not pick then pick = it end
        end
        nav.quickfix.applied = pick and (pick.action or pick[2]).title or nil
        on_choice(pick)
      end
      -- the diagnostics of the cursor line go with the request; 0.8+ take the context as an option
      local only = { only = { 'quickfix' } }
      edit_step(nav.quickfix, function() vim.lsp.buf.code_action(vim.fn.has('nvim-0.8') == 1 and { context = only } or only) end)
      vim.ui.select = select
    end
    nav.ms = (vim.loop.hrtime() - t_nav) / 1e6
  end
end)

if not ok then
  result.error = tostring(err)
  io.stderr:write('nvim test error: ' .. tostring(err) .. '\n')
  finish(1)
else
  finish(0)
end
