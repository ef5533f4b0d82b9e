"""All differential cases, one module per command family; each module defines CASES.

A module may set AREA (a feature area of tests/python/areas.py): its cases then carry that
area's pytest marker and are skipped against mokad until the area is enabled. A case adds
other areas it needs with `Case(..., needs=("lists",))`.
"""
from . import (collection_keys, connection, hashes, keys, lists, lists_edges, object_encoding, protocol,
               pubsub, pubsub_frames, scripting, scripting_eval, server, sets, strings, transactions, wrongtype, zsets)

FAMILIES = {
    "connection": connection,
    "strings": strings,
    "keys": keys,
    "transactions": transactions,
    "server": server,
    "protocol": protocol,
    # Areas mokad is gaining (see tests/python/areas.py for which ones run against it).
    "hashes": hashes,
    "lists": lists,
    "sets": sets,
    "zsets": zsets,
    "scripting": scripting,
    "scripting_eval": scripting_eval,
    "pubsub": pubsub,
    "pubsub_frames": pubsub_frames,
    "lists_edges": lists_edges,
    "wrongtype": wrongtype,
    "object": object_encoding,
    "collection_keys": collection_keys,
}

ALL_CASES = []
for _family, _mod in FAMILIES.items():
    _area = getattr(_mod, "AREA", None)
    for _case in _mod.CASES:
        _case.family = _family
        _case.areas = tuple(sorted(({_area} if _area else set()) | set(_case.needs)))
        ALL_CASES.append(_case)

_ids = [c.id for c in ALL_CASES]
_dups = {i for i in _ids if _ids.count(i) > 1}
if _dups:
    raise ValueError(f"duplicate case names: {sorted(_dups)}")
