#!/usr/bin/env python3
"""Builds server/openapi.json, the reference server's OpenAPI document, from the official
schema of the operation (the bundle in ../shared/spec/rebilly-customer.schema.json, Rebilly's
api-definitions at 2023-01-27).

    python3 server/openapi/build.py ../shared/spec/rebilly-customer.schema.json > server/openapi.json

The customer, the path id and the problem bodies are the official ones, with the deviations of
SPEC.md applied (each a row of docs/deviations.md, each marked below), so that what the document
calls valid is what the server accepts; the document adds what the server answers around the
operation (401, 404, 405, 408, 411, 412, 413, 414, 415, 429, 431, 503), each a problem body, and
GET, which the official SDKs call to read back.
"""
import json
import os
import sys

bundle = json.load(open(sys.argv[1]))
spec_dir = os.path.dirname(os.path.abspath(sys.argv[1]))
customer = bundle["customer"]
props = customer["properties"]


def strings(schema):
    """Every subschema of type string in `schema` (through anyOf/allOf/oneOf)."""
    if isinstance(schema, dict):
        if schema.get("type") == "string":
            yield schema
        for key in ("anyOf", "allOf", "oneOf"):
            for sub in schema.get(key, []):
                yield from strings(sub)


def objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield schema
        for key in ("anyOf", "allOf", "oneOf"):
            for sub in schema.get(key, []):
                yield from objects(sub)


def member(schema, name):
    """The subschemas of member `name` of the object `schema`."""
    for obj in objects(schema):
        if name in obj.get("properties", {}):
            yield obj["properties"][name]


def walk(schema, visit):
    if isinstance(schema, dict):
        visit(schema)
        for value in schema.values():
            walk(value, visit)
    elif isinstance(schema, list):
        for value in schema:
            walk(value, visit)


# SPEC section 1: `\w` is ASCII, as ECMA-262 reads it. Spelled out, so that a generator in
# another regex dialect (Python's `\w` is Unicode) means the same class.
def ascii_word(schema):
    if "pattern" in schema:
        schema["pattern"] = schema["pattern"].replace("\\w", "A-Za-z0-9_")


walk(customer, ascii_word)
walk(bundle["pathId"], ascii_word)

# Deviation: an empty id names nothing; an empty token can never be exchanged.
for name in ("websiteId", "paymentToken"):
    for string in strings(props[name]):
        string["minLength"] = 1
for sub in member(props["defaultPaymentInstrument"], "paymentInstrumentId"):
    for string in strings(sub):
        string["minLength"] = 1

# Deviation: a payment-card or ach instrument needs its id (it could never be charged).
for obj in objects(props["defaultPaymentInstrument"]):
    if obj.get("type") == "object" and "allOf" in obj:
        obj["if"] = {"required": ["method"], "properties": {"method": {"enum": ["payment-card", "ach"]}}}
        obj["then"] = {"required": ["paymentInstrumentId"]}

# Deviation: a country is one of the table, or XK.
countries = sorted(
    {line.split("\t")[0] for line in open(os.path.join(spec_dir, "iso3166-1-alpha2.tsv")) if len(line.split("\t")[0]) == 2 and line[:2].isupper()}
    | {"XK"}
)
for sub in member(props["primaryAddress"], "country"):
    for string in strings(sub):
        string.pop("pattern", None)
        string["enum"] = countries

# Deviation: at most one primary item per list.
for name in ("emails", "phoneNumbers"):
    for sub in member(props["primaryAddress"], name):
        sub["contains"] = {"type": "object", "required": ["primary"], "properties": {"primary": {"const": True}}}
        sub["minContains"] = 0
        sub["maxContains"] = 1

# SPEC section 3: a member the contract does not name is an `unknown_field` (422), at every
# level; only customFields holds any name (and _embedded, which the server never fills).
def closed(schema):
    if "properties" in schema and "additionalProperties" not in schema:
        schema["additionalProperties"] = False


walk(customer, closed)
for name in ("customFields", "_embedded"):
    for obj in objects(props[name]):
        obj.pop("additionalProperties", None)

# Deviation: custom field names are 1 to 60 of `\w` and `-`.
for obj in objects(props["customFields"]):
    obj["propertyNames"] = {"pattern": "^[A-Za-z0-9_-]{1,60}$"}

problem = {
    "type": "object",
    "description": "RFC 7807 problem details, as the crate writes them.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
}


def problem_response(description, schema="#/components/schemas/Problem"):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": schema}}},
    }


def customer_response(description, headers):
    return {
        "description": description,
        "headers": headers,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}},
    }


etag = {"ETag": {"description": "The revision, quoted.", "schema": {"type": "string"}}}
common = {
    "400": problem_response("The body is not one JSON object, or the path is not percent-encoded UTF-8."),
    "401": problem_response("No valid REB-APIKEY."),
    "405": problem_response("The route does not serve this method."),
    "408": problem_response("The body did not arrive in time."),
    "414": problem_response("The request target is too long."),
    "429": problem_response("Past the rate limit."),
    "431": problem_response("The header fields are too large."),
    "500": problem_response("The server failed."),
    "503": problem_response("The store cannot take the request now."),
}

document = {
    "openapi": "3.1.0",
    "info": {
        "title": "rebilly-customer reference server",
        "version": "2023-01-27",
        "description": "PUT and GET /customers/{id} of the Rebilly API, as the reference server "
        "serves them. Schemas: Rebilly's api-definitions at 2023-01-27 (" + bundle["$comment"] + ")",
    },
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "security": [{"ApiKey": []}],
    "paths": {
        "/customers/{id}": {
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "description": "ID of the customer.",
                    "schema": {"$ref": "#/components/schemas/PathId"},
                }
            ],
            "put": {
                "operationId": "PutCustomer",
                "summary": "Upsert a customer",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Customer"}}
                    },
                },
                "responses": {
                    "200": customer_response("Customer updated.", etag),
                    "201": customer_response(
                        "Customer created.",
                        dict(etag, Location={"description": "The customer's URL.", "schema": {"type": "string"}}),
                    ),
                    "409": problem_response("Conflict.", "#/components/schemas/Conflict"),
                    "411": problem_response("The body is not framed."),
                    "412": problem_response("A precondition failed."),
                    "413": problem_response("The body, or the customer it would make, is too large."),
                    "415": problem_response("The body is not application/json, or it is encoded."),
                    "422": problem_response("Invalid data was sent.", "#/components/schemas/ValidationError"),
                    **common,
                },
            },
            "get": {
                "operationId": "GetCustomer",
                "summary": "Retrieve a customer",
                "responses": {
                    "200": customer_response("Customer.", etag),
                    "404": problem_response("No customer is stored under this id."),
                    **common,
                },
            },
        }
    },
    "components": {
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "REB-APIKEY"}},
        "schemas": {
            "Customer": bundle["customer"],
            "PathId": bundle["pathId"],
            "ValidationError": bundle["validationError"],
            "Conflict": bundle["conflict"],
            "Problem": problem,
        },
    },
}

json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write("\n")
