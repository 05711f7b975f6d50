-- REST response shaping for Drop. Listed before grpc_json_transcoder in http_filters, so on
-- the response path it runs after the transcoder and sees the transcoded JSON.
--
-- Success: the server may send initial metadata `x-http-code` (201, 204, 302, 503) -> :status.
-- Error:   the server sends `x-http-status` + `x-error-body` (percent-encoded JSON envelope)
--          as trailing metadata -> :status and body. Without them, grpc-status is mapped.
-- Native gRPC requests share the listener and are left alone.

local SLUG = { ["3"]="bad_request", ["5"]="not_found", ["6"]="conflict", ["7"]="forbidden",
  ["8"]="rate_limited", ["9"]="bad_request", ["12"]="not_found", ["14"]="service_unavailable",
  ["16"]="unauthorized" }
local HTTP = { ["3"]="400", ["5"]="404", ["6"]="409", ["7"]="403", ["8"]="429", ["9"]="400",
  ["12"]="404", ["14"]="503", ["16"]="401" }

-- Valid UTF-8 only: a byte that does not start a well-formed sequence becomes U+FFFD, so a
-- reason that echoes a client's raw 0xFF never makes the reply invalid JSON.
local function valid_utf8(s)
  local out, i, n = {}, 1, #s
  while i <= n do
    local c = s:byte(i)
    local len = (c < 0x80 and 1) or (c >= 0xC2 and c <= 0xDF and 2) or
                (c >= 0xE0 and c <= 0xEF and 3) or (c >= 0xF0 and c <= 0xF4 and 4) or 0
    local ok = len > 0 and i + len - 1 <= n
    for k = 1, len - 1 do
      local cc = ok and s:byte(i + k)
      if not cc or cc < 0x80 or cc > 0xBF then ok = false end
    end
    if ok and len == 3 then
      local c2 = s:byte(i + 1)
      if (c == 0xE0 and c2 < 0xA0) or (c == 0xED and c2 > 0x9F) then ok = false end
    elseif ok and len == 4 then
      local c2 = s:byte(i + 1)
      if (c == 0xF0 and c2 < 0x90) or (c == 0xF4 and c2 > 0x8F) then ok = false end
    end
    if ok then
      out[#out + 1] = s:sub(i, i + len - 1); i = i + len
    else
      out[#out + 1] = "\239\191\189"; i = i + 1
    end
  end
  return table.concat(out)
end

local function json_str(s)
  s = valid_utf8(s):gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == '\\' then return '\\\\' end
    return string.format("\\u%04x", c:byte())
  end)
  return '"' .. s .. '"'
end

local function envelope(code, message, field, detail)
  local details = "[]"
  if field ~= nil then
    details = '[{"field":' .. json_str(field) .. ',"message":' .. json_str(detail) .. '}]'
  end
  return '{"error":' .. json_str(code) .. ',"message":' .. json_str(message) ..
         ',"details":' .. details .. '}'
end

local function reply(h, status, body)
  h:respond({[":status"] = status, ["content-type"] = "application/json"}, body)
end

-- Request fields that are money (proto double). The transcoder would also take them as JSON
-- strings ("100", even "0x64"); the contract says numbers, so strings are refused here.
-- tests/unit/test_edge_config.py keeps this list equal to the protos' double fields.
local NUMBER_FIELDS = { "amount", "rate" }

-- Request bodies are JSON or nothing: a body sent as text/plain or a form is refused (415)
-- rather than parsed as JSON anyway.
local function json_content_type(ct)
  local media = ct:lower():match("^%s*([^;%s]+)")
  return media == "application/json"
end

local function check_body(h)
  local method = h:headers():get(":method") or ""
  if method ~= "POST" and method ~= "PUT" and method ~= "PATCH" and method ~= "DELETE" then
    return true
  end
  local body = h:body()     -- buffers the whole body (at most the 1 MiB connection limit)
  if body == nil or body:length() == 0 then return true end
  -- header handles taken before body() are stale
  if not json_content_type(h:headers():get("content-type") or "") then
    reply(h, "415", envelope("unsupported_media_type",
      "Request bodies must be JSON (Content-Type: application/json)"))
    return false
  end
  local text = body:getBytes(0, body:length())
  for _, name in ipairs(NUMBER_FIELDS) do
    if text:find('"' .. name .. '"%s*:%s*"') ~= nil then
      reply(h, "400", envelope("bad_request", "Malformed request", name,
        name .. " must be a JSON number"))
      return false
    end
  end
  return true
end

local function pct_decode(s)
  return (s:gsub("%%(%x%x)", function(x) return string.char(tonumber(x, 16)) end))
end

-- gRPC metadata keys are [0-9a-z_.-] and values printable ASCII; the gRPC server refuses the
-- whole call otherwise. REST clients may send anything, and the server reads only a few
-- known headers, so drop the headers gRPC cannot carry instead of failing the request.
-- Browsers send raw UTF-8 in cookie values set by other parts of a site (a name, a city):
-- keep the cookie header and leave out only those pairs, so the session cookie still arrives.
local function sendable_cookies(value)
  local kept = {}
  for pair in value:gmatch("[^;]+") do
    if pair:find("[^\32-\126]") == nil then kept[#kept + 1] = pair:match("^%s*(.-)%s*$") end
  end
  return table.concat(kept, "; ")
end

local function drop_unsendable_headers(hd)
  local cookie = hd:get("cookie")
  if cookie ~= nil and cookie:find("[^\32-\126]") ~= nil then
    hd:replace("cookie", sendable_cookies(cookie))
  end
  local unsendable = {}
  for key, value in pairs(hd) do
    if key:sub(1, 1) ~= ":" and (key:find("[^0-9a-z_.%-]") ~= nil or
        (key:sub(-4) ~= "-bin" and value:find("[^\32-\126]") ~= nil)) then
      unsendable[#unsendable + 1] = key
    end
  end
  for _, key in ipairs(unsendable) do hd:remove(key) end
end

function envoy_on_request(h)
  local ct = h:headers():get("content-type") or ""
  if ct:sub(1, 16) == "application/grpc" then
    h:streamInfo():dynamicMetadata():set("drop.rest", "native_grpc", true)
  else
    -- read by local_reply_config, so Envoy's own replies to REST get the JSON envelope
    h:streamInfo():dynamicMetadata():set("drop.rest", "rest", true)
    drop_unsendable_headers(h:headers())
    if not check_body(h) then return end
    -- Form-encoded query strings write a space as '+' (grpc-gateway decodes it so); the
    -- transcoder only decodes %20, so translate before it parses the query.
    local path = h:headers():get(":path") or ""
    local question = path:find("?", 1, true)
    if question ~= nil and path:find("+", question, true) ~= nil then
      h:headers():replace(":path", path:sub(1, question) .. path:sub(question + 1):gsub("%+", "%%20"))
    end
  end
end

local function shape_error(h, hd, gs)
  local body = h:body(true)
  if body == nil then          -- Envoy quirk: headers+trailers and no data -> nil on 1st call
    body = h:body(true)
  end
  hd = h:headers()             -- header handles taken before body() are stale
  local src = hd
  if hd:get("x-error-body") == nil then
    local tr = h:trailers()
    if tr ~= nil and tr:get("x-error-body") ~= nil then src = tr end
  end
  local envelope, status = src:get("x-error-body"), src:get("x-http-status")
  if envelope ~= nil then
    envelope = pct_decode(envelope)
  else
    local msg = pct_decode(hd:get("grpc-message") or "")
    if SLUG[gs] == nil then msg = "Internal server error" end   -- never leak internals
    envelope = '{"error":' .. json_str(SLUG[gs] or "internal_error") ..
               ',"message":' .. json_str(msg) .. ',"details":[]}'
    status = HTTP[gs] or "500"
  end
  src:remove("x-error-body"); src:remove("x-http-status")
  -- 503 from a database fault: Retry-After must be a header, also when it came as a trailer.
  local retry = src:get("retry-after")
  if retry ~= nil and src ~= hd then src:remove("retry-after"); hd:replace("retry-after", retry) end
  hd:remove("x-http-code")
  if body ~= nil then body:setBytes(envelope) end
  hd:replace(":status", status or "500")
  hd:replace("content-type", "application/json")
  return hd
end

local function apply_success_status(h, hd)
  local code = hd:get("x-http-code")
  if code == nil then return hd end
  hd:remove("x-http-code")
  hd:replace(":status", code)
  if code == "204" then
    h:body(true):setBytes("")
    hd = h:headers()
    hd:remove("content-type"); hd:remove("content-length")
    local tr = h:trailers()
    if tr ~= nil then tr:remove("grpc-status"); tr:remove("grpc-message") end
  end
  return hd
end

-- The contract prints every time with exactly three fractional digits (2026-02-23T12:00:00.000Z).
-- drop_server/api/convert.py cuts every Timestamp to milliseconds; protobuf's JSON mapping then
-- prints 3 digits, except on an exact second, where it prints none. Only that case is padded.
local function pad_whole_second_times(h)
  local body = h:body(true)
  if body == nil or body:length() == 0 then return end
  local text = body:getBytes(0, body:length())
  local padded, count = text:gsub('("%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d)Z"', '%1.000Z"')
  if count > 0 then body:setBytes(padded) end
end

-- The transcoder's own 400s (bad JSON, wrong types, unknown query parameters) arrive as
-- text through local_reply_config; name the failing field the way server errors do.
-- The transcoder names proto fields (push_enabled); clients know them as JSON (pushEnabled).
local function json_name(field)
  return (field:gsub("_(%l)", string.upper))
end

local function field_of(reason)
  local unknown = reason:match('^Could not find field "([^"]+)"')
  if unknown ~= nil then return json_name(unknown) end
  local named = reason:match("^([%w_%.]+): ")
  if named ~= nil then return json_name(named) end
  return "body"
end

local function shape_bad_request(h)
  local body = h:body(true)
  if body == nil then body = h:body(true) end
  local hd = h:headers()
  local reason = ""
  if body ~= nil then reason = body:getBytes(0, body:length()) end
  reason = reason:match("^[^\n]*") or ""
  local envelope = '{"error":"bad_request","message":"Malformed request","details":[{"field":' ..
    json_str(field_of(reason)) .. ',"message":' .. json_str(reason) .. '}]}'
  if body ~= nil then body:setBytes(envelope) end
  hd:replace("content-type", "application/json")
end

-- Retry-After on a 429 is the time until a request would pass again: the limit filter's
-- X-RateLimit-Reset (its bucket refills continuously), for REST and native gRPC alike.
local function retry_after_from_reset(hd)
  if hd:get(":status") ~= "429" and hd:get("grpc-status") ~= "8" then return end
  local reset = tonumber(hd:get("x-ratelimit-reset") or "")
  if reset ~= nil then hd:replace("retry-after", tostring(math.max(1, math.ceil(reset)))) end
end

function envoy_on_response(h)
  retry_after_from_reset(h:headers())
  -- Only REST requests are shaped. Native gRPC is left alone, and so is a reply to a request
  -- stopped before envoy_on_request ran (the HTTP codec): local_reply_config shaped those.
  local md = h:streamInfo():dynamicMetadata():get("drop.rest")
  if md == nil or not md["rest"] then return end
  local hd = h:headers()
  if hd:get("content-type") == "text/x-drop-bad-request" then
    shape_bad_request(h)
    return
  end
  local gs = hd:get("grpc-status")
  if gs ~= nil and gs ~= "0" then
    hd = shape_error(h, hd, gs)
  else
    hd = apply_success_status(h, hd)
    if hd:get(":status") ~= "204" and (hd:get("content-type") or ""):find("json", 1, true) then
      pad_whole_second_times(h)
      hd = h:headers()         -- header handles taken before body() are stale
    end
  end
  hd:remove("grpc-status"); hd:remove("grpc-message"); hd:remove("grpc-accept-encoding")
  hd:remove("grpc-status-details-bin")
end
