"""Querysets compiled to SQL once per thread and then run with other ids.

Building and compiling a queryset costs a fixed 0.3-0.8 ms of Python, whatever
the data: the dashboard's nudges query took 0.77 ms through the ORM, 0.02 ms of
it in SQLite. A signed-in page runs about ten, of the same shapes for every
user and every request, so a third of a page's time went into producing SQL it
had produced before.

`@prepared` takes a function that builds a queryset from ids (owner, reference,
opportunity...). On its first call in a thread it builds the queryset with
stand-in ids, compiles it, and finds where the stand-ins sit in the parameters;
afterwards it only puts the real ids in their places and runs the kept compiler
through the queryset's own iterable, so model instances, select_related
objects, annotations and the database's converters come out exactly as the
queryset would give them. Per thread, because a compiler belongs to its
thread's database connection. The shape must depend on nothing but the ids (no
`now`, no lists of varying length): what is not an id is fixed at the first
call. The ledger's fetch (courtesy/ledger.py, _rows) does the same for plain
rows.
"""

from __future__ import annotations

import operator
import threading
from functools import wraps

from django.db import connections
from django.db.models.query import GET_ITERATOR_CHUNK_SIZE

# Ids no row has, standing for the real ones in the compiled SQL.
_STAND_INS = tuple(-7_777_000_001 - n for n in range(6))
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


class _Compiled:
    def __init__(self, build, arity: int):
        stand_ins = _STAND_INS[:arity]
        queryset = build(*stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError(f"{build.__qualname__}: prefetch_related runs queries of its own; prepare those instead")
        self.connection = connections[queryset.db]
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = [(index, stand_ins.index(param)) for index, param in enumerate(params)
                      if isinstance(param, int) and param in stand_ins]
        missing = set(range(arity)) - {which for _index, which in self.slots}
        if missing:
            raise ValueError(f"{build.__qualname__} does not use its argument(s) {sorted(missing)} in the SQL")
        # The iterable asks the query for a compiler: it gets the kept one, which answers with the kept SQL.
        queryset.query.get_compiler = lambda *args, **kwargs: self.compiler
        self.compiler.as_sql = self._sql
        self.queryset = queryset
        self.arity = arity
        self.current: tuple = ()

    def _sql(self, *args, **kwargs):
        return self.sql, self.current

    def run(self, ids: tuple) -> list:
        if len(ids) != self.arity:
            raise TypeError(f"expected {self.arity} ids, got {len(ids)}")
        params = self.params.copy()
        for index, which in self.slots:
            params[index] = ids[which]
        self.current = tuple(params)
        iterable = self.queryset._iterable_class(self.queryset, chunked_fetch=False, chunk_size=GET_ITERATOR_CHUNK_SIZE)
        return list(iterable)


def prepared(build):
    """`build(*ids) -> QuerySet` becomes `run(*ids) -> list` of what the queryset yields.

        @prepared
        def unread_notices(owner_id):
            return EmployerNotice.objects.filter(owner_id=owner_id, read_at=None).order_by("-id")[:20]

        unread_notices(request.user.pk)  # a list of EmployerNotice
    """
    local = threading.local()

    @wraps(build)
    def run(*ids: int) -> list:
        compiled = getattr(local, "compiled", None)
        if compiled is None or compiled.connection is not connections[compiled.queryset.db]:
            compiled = local.compiled = _Compiled(build, len(ids))
        ids = tuple(operator.index(value) for value in ids)
        if not all(_SMALLEST <= value <= _LARGEST for value in ids):
            return []  # no row has an id beyond 64 bits, and the drivers refuse one (the ORM answers "none")
        return compiled.run(ids)

    return run
