#!/usr/bin/env bash
# Runs schemathesis, every check, against the reference server on an ephemeral port with a
# SQLite file in a temporary directory, from server/openapi.json.
#
#   bash server/openapi/schemathesis.sh [BINARY] [MAX_EXAMPLES]
#
# What no schema can know is set on the server or in the run's copy of the document:
# - `paymentToken` names the token this server's vault holds: one it does not know is refused
#   (422, `token_rejected`);
# - the server has a default website: `websiteId` is required to create a customer only where
#   there is none (SPEC section 4), which depends on what is stored, not on the body.
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=${1:-target/debug/rebilly-customer-server}
examples=${2:-100}
command -v st >/dev/null 2>&1 || pip install -q schemathesis
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$binary" --db "$work/customers.db" --listen 127.0.0.1:0 --api-key key_st \
  --token 'tok_st={"method": "cash"}' --default-website web_st >"$work/out" 2>"$work/log" &
server=$!
for _ in $(seq 100); do
  [ -s "$work/out" ] && break
  sleep 0.1
done
url=$(head -1 "$work/out" | sed 's/^listening on //')
python3 - "$work/openapi.json" <<'PY'
import json, sys
document = json.load(open("server/openapi.json"))
token = document["components"]["schemas"]["Customer"]["properties"]["paymentToken"]
token.clear()
token.update({"type": "string", "enum": ["tok_st"], "writeOnly": True})
json.dump(document, open(sys.argv[1], "w"))
PY
SCHEMATHESIS_HOOKS=hooks PYTHONPATH=server/openapi st run "$work/openapi.json" --url "$url" -H "REB-APIKEY: key_st" --checks all \
  --max-examples "$examples" --workers 2 --seed "${SEED:-1}" --no-color
