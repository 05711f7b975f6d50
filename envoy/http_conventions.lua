-- HTTP as clients expect it, for REST requests (native gRPC and gRPC-Web are left alone).
-- drop_server/edge.py prepends the route table from the protos:
--   ROUTES = { {pattern = "^/api/rates/[^/]+$", methods = {GET = true}}, ... }
-- and PUBLIC_CACHE = { {pattern = ..., max_age = seconds}, ... } (public, cacheable GETs).
--
-- * HEAD is served for every GET: the request goes on as GET and Envoy's connection manager,
--   which remembers the HEAD, sends the headers without the body.
-- * A known path with another method is 405 with `Allow`, in the error envelope.
-- * Public GETs (the rates) carry `Cache-Control: public, max-age=N` and an ETag; a matching
--   If-None-Match is answered 304 without a body. Everything else is `Cache-Control: no-store`:
--   most answers are personal (balances, transactions), and a shared cache must keep none.
-- Listed before local_ratelimit and rest.lua: on the way in it runs first (HEAD counts against
-- the GET's limit), on the way out it runs last and sees the final status and body.

local NAMESPACE = "drop.http"

local function is_grpc(hd)
  local ct = hd:get("content-type") or ""
  return ct:sub(1, 16) == "application/grpc"
end

local function allowed_methods(path)
  local allowed, known = {}, false
  for _, route in ipairs(ROUTES) do
    if path:find(route.pattern) ~= nil then
      known = true
      for method, _ in pairs(route.methods) do allowed[method] = true end
    end
  end
  if not known then return nil end
  if allowed["GET"] then allowed["HEAD"] = true end
  return allowed
end

local function allow_header(allowed)
  local order = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE" }
  local listed = {}
  for _, method in ipairs(order) do
    if allowed[method] then listed[#listed + 1] = method end
  end
  return table.concat(listed, ", ")
end

local function public_max_age(path)
  for _, entry in ipairs(PUBLIC_CACHE) do
    if path:find(entry.pattern) ~= nil then return entry.max_age end
  end
  return nil
end

-- Request ids (README "Request ids"): a client's X-Request-Id is kept when well-formed (8 to
-- 128 characters of letters, digits and . _ : -), else replaced by a new one. Envoy generated
-- one already when the client sent none, returns it on every answer
-- (always_set_request_id_in_response) and passes it to the workers, which log it and put it
-- in error envelopes; envelopes Envoy or the Lua filters write get it below.
math.randomseed(os.time() + math.floor(os.clock() * 1000000))

local function well_formed_request_id(id)
  return id ~= nil and #id >= 8 and #id <= 128 and id:find("^[%w%._:%-]+$") ~= nil
end

local function new_request_id()
  local r = math.random
  return string.format("%04x%04x-%04x-4%03x-%04x-%04x%04x%04x", r(0, 65535), r(0, 65535),
    r(0, 65535), r(0, 4095), r(32768, 49151), r(0, 65535), r(0, 65535), r(0, 65535))
end

local function request_id_of(hd)
  local id = hd:get("x-request-id")
  if not well_formed_request_id(id) then
    id = new_request_id()
    hd:replace("x-request-id", id)
  end
  return id
end

function envoy_on_request(h)
  local hd = h:headers()
  local request_id = request_id_of(hd)
  if is_grpc(hd) then return end
  local method = hd:get(":method") or ""
  local path = (hd:get(":path") or ""):match("^[^?]*")
  local allowed = allowed_methods(path)
  if allowed ~= nil and not allowed[method] then
    h:respond({ [":status"] = "405", ["allow"] = allow_header(allowed),
                ["content-type"] = "application/json", ["cache-control"] = "no-store",
                ["x-request-id"] = request_id },
      '{"error":"method_not_allowed","message":"Method not allowed; see the Allow header",' ..
      '"details":[],"requestId":"' .. request_id .. '"}')
    return
  end
  local metadata = h:streamInfo():dynamicMetadata()
  metadata:set(NAMESPACE, "rest", true)
  metadata:set(NAMESPACE, "request_id", request_id)
  if method == "HEAD" then
    metadata:set(NAMESPACE, "head", true)
    hd:replace(":method", "GET")
    -- The route was chosen for HEAD; choose again for GET, so the GET's rate limit applies.
    h:clearRouteCache()
    method = "GET"
  end
  if method == "GET" then
    local max_age = public_max_age(path)
    if max_age ~= nil then
      metadata:set(NAMESPACE, "max_age", max_age)
      metadata:set(NAMESPACE, "if_none_match", hd:get("if-none-match") or "")
    end
  end
end

-- FNV-1a (32 bits) of the body, with its length: the ETag only has to change when the
-- representation does, and the cacheable answers are small.
local function fingerprint(text)
  local hash = -2128831035  -- 2166136261 as a signed 32-bit integer
  for i = 1, #text do
    hash = bit.bxor(hash, text:byte(i))
    hash = bit.tobit(hash * 403 + bit.lshift(hash, 24))  -- * 16777619 mod 2^32
  end
  return '"' .. bit.tohex(hash) .. "-" .. string.format("%x", #text) .. '"'
end

local function matches(if_none_match, etag)
  if if_none_match == "*" then return true end
  for candidate in if_none_match:gmatch("[^,]+") do
    candidate = candidate:match("^%s*(.-)%s*$"):gsub("^W/", "")
    if candidate == etag then return true end
  end
  return false
end

-- The connection manager leaves out the body of a HEAD answer, but not a body that rest.lua
-- wrote into a headers-only gRPC answer (errors): empty it here, keeping the GET's length.
local function strip_head_body(h)
  local body = h:body(true)
  if body == nil then body = h:body(true) end
  if body == nil then return end
  local length = body:length()
  body:setBytes("")
  h:headers():replace("content-length", string.format("%d", length))
end

-- Every error envelope carries the request id, whoever wrote it (a worker, rest.lua, Envoy's
-- local replies): the one place all REST answers pass last.
local function add_request_id(h, request_id)
  local hd = h:headers()
  local status = tonumber(hd:get(":status") or "") or 0
  if status < 400 or (hd:get("content-type") or ""):sub(1, 16) ~= "application/json" then
    return
  end
  local body = h:body(true)
  if body == nil then body = h:body(true) end
  if body == nil or body:length() == 0 then return end
  local text = body:getBytes(0, body:length())
  if text:sub(1, 9) ~= '{"error":' or text:find('"requestId":', 1, true) ~= nil then return end
  local closed = text:match("^(.*)}%s*$")
  if closed == nil then return end
  body:setBytes(closed .. ',"requestId":"' .. request_id .. '"}')
  h:headers():remove("content-length")
end

function envoy_on_response(h)
  local md = h:streamInfo():dynamicMetadata():get(NAMESPACE)
  if md == nil or not md["rest"] then return end
  if md["request_id"] ~= nil and not md["head"] then add_request_id(h, md["request_id"]) end
  if md["head"] then strip_head_body(h) end
  local hd = h:headers()
  if hd:get(":status") == "204" and hd:get("content-length") == nil then
    -- Without a length the compressors would "compress" the empty body into gzip framing,
    -- a body that a 204 must not have; the HTTP codec drops this header from a 204 anyway.
    hd:add("content-length", "0")
  end
  if hd:get("cache-control") ~= nil then return end
  if md["max_age"] == nil or hd:get(":status") ~= "200" then
    hd:add("cache-control", "no-store")
    return
  end
  local body = h:body(true)
  if body == nil then body = h:body(true) end
  hd = h:headers()
  local text = ""
  if body ~= nil then text = body:getBytes(0, body:length()) end
  local etag = fingerprint(text)
  hd:replace("etag", etag)
  hd:replace("cache-control", "public, max-age=" .. string.format("%d", md["max_age"]))
  if matches(md["if_none_match"] or "", etag) then
    hd:replace(":status", "304")
    if body ~= nil then body:setBytes("") end
    hd:remove("content-type")
    -- The length the 200 would have had (RFC 9110 allows it); with none, the compressor
    -- would take the empty 304 for a body to compress and drop the strong ETag.
    hd:replace("content-length", string.format("%d", #text))
  end
end
