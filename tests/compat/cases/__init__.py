"""All differential cases, one module per command family; each module defines CASES."""
from . import connection, keys, protocol, scripting, server, strings, transactions

FAMILIES = {
    "connection": connection,
    "strings": strings,
    "keys": keys,
    "transactions": transactions,
    "server": server,
    "protocol": protocol,
    "scripting": scripting,
}

ALL_CASES = []
for _family, _mod in FAMILIES.items():
    for _case in _mod.CASES:
        _case.family = _family
        ALL_CASES.append(_case)

_ids = [c.id for c in ALL_CASES]
_dups = {i for i in _ids if _ids.count(i) > 1}
if _dups:
    raise ValueError(f"duplicate case names: {sorted(_dups)}")
