"""Schemathesis hooks for the reference server's run (server/openapi/schemathesis.sh).

The document says "at most one primary item per list" with JSON Schema 2020-12's
`maxContains`, which the generator (hypothesis-jsonschema) does not implement: it makes lists
with several primaries and calls them valid. This filter drops those bodies, and only those:
the rule is the document's, the generator just cannot honour it.
"""
import schemathesis


def primaries(items):
    return sum(1 for item in items if isinstance(item, dict) and item.get("primary") is True)


@schemathesis.hook
def filter_body(ctx, body):
    address = body.get("primaryAddress") if isinstance(body, dict) else None
    if not isinstance(address, dict):
        return True
    return all(
        not isinstance(address.get(name), list) or primaries(address[name]) <= 1
        for name in ("emails", "phoneNumbers")
    )
