"""DynamoDB under the burst: request units per partition and second, against the per-partition limits.

DynamoDB serves at most 1,000 write units and 3,000 read units a second from one partition (of the table or of an
index); a key that needs more is throttled whatever the table's mode. `PartitionRecorder` watches every DynamoDB
call of the burst's moto run (benchmarks/burst.py) on the process's botocore session:

- writes: the item before and after each Put, Update and Delete (read from moto's own store, around the call),
  so each write is charged where DynamoDB charges it: the table's partition (1 unit a KB, twice in a transaction)
  and each index whose entry appeared, changed, moved or went (a moved entry, such as a session whose sweep time
  changed, is a delete in one place and a put in another), by the projected size;
- reads: what each GetItem, BatchGetItem and Query returned, by the partition it came from (4 KB a unit, half for
  an eventually consistent read, twice in a transaction's condition check);

by virtual second of the run. A partition is named by its kind (`AGENCY#…#VISIT#…` → `visit`) so the report says
which access pattern is hottest, with the hottest key's own figures.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from typing import Any

from tests.aws_calls import item_size

WCU_LIMIT, RCU_LIMIT = 1000, 3000
WRITES = ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem")


def kind_of(key: str) -> str:
    """`AGENCY#a1#VISIT#v9` → `AGENCY#·#VISIT#·`: the access pattern, not the tenant (ids become ·)."""
    return re.sub(r"#(?![A-Z]+(?:#|$))[^#]+", "#·", key)


class PartitionRecorder:
    """Request units by (place, partition key, second); place is `table` or an index name."""

    def __init__(self) -> None:
        self.wcu: dict[tuple[str, str, int], float] = defaultdict(float)
        self.rcu: dict[tuple[str, str, int], float] = defaultdict(float)
        self._local = threading.local()
        self._sim: Any = None
        self._indexes: list[dict[str, Any]] = []
        self.errors: list[str] = []

    # Hooks ---------------------------------------------------------------------------------------------------

    def install(self) -> None:
        """Hook the process's botocore session (before the DynamoDB client is made: clients copy its hooks)."""
        from chalicelib.aws import botocore_session
        from chalicelib.persistence.models import describe_table

        self._indexes = describe_table()["global_secondary_indexes"]
        session = botocore_session()
        session.register("provide-client-params.dynamodb", self._params, unique_id="burst-partitions-params")
        session.register("before-call.dynamodb", self._before, unique_id="burst-partitions-before")
        session.register("after-call.dynamodb", self._after, unique_id="burst-partitions-after")

    def start(self, sim: Any) -> None:
        """Count from now on, by the run's virtual seconds."""
        self._sim = sim

    def stop(self) -> None:
        self._sim = None

    def _params(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        self._local.call = (model.name, params)

    def _before(self, model: Any, **_: Any) -> None:
        if self._sim is None:
            return
        name, params = getattr(self._local, "call", (None, {}))
        try:
            self._local.old = {key: self._item(table, key) for table, key, _ in self._writes(name, params)}
        except Exception as exc:
            self.errors.append(repr(exc))

    def _after(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if self._sim is None or "Error" in parsed:
            return
        try:
            self._count(parsed)
        except Exception as exc:  # the recorder must never change what the app sees
            self.errors.append(repr(exc))

    def _count(self, parsed: dict[str, Any]) -> None:
        name, params = getattr(self._local, "call", (None, {}))
        second = int(self._sim.now())
        transaction = name == "TransactWriteItems"
        for table, key, check in self._writes(name, params):
            if check:  # a condition check reads the item transactionally
                self._read(self._old(key), second, consistent=True, transaction=True)
                continue
            self._write(self._old(key), self._item(table, key), second, transaction)
        if name == "GetItem":
            self._read(parsed.get("Item"), second, bool(params.get("ConsistentRead")))
        elif name == "BatchGetItem":
            for table, items in parsed.get("Responses", {}).items():
                consistent = bool(params["RequestItems"][table].get("ConsistentRead"))
                for item in items:
                    self._read(item, second, consistent)
        elif name == "Query":
            self._query(params, parsed.get("Items", []), second)

    # Units -----------------------------------------------------------------------------------------------------

    def _old(self, key: Any) -> dict[str, Any] | None:
        return getattr(self._local, "old", {}).get(key)

    @staticmethod
    def _writes(name: str | None, params: dict[str, Any]) -> list[tuple[str, Any, bool]]:
        """(table, key as a hashable, is a condition check) for every item the call may write."""
        def key_of(table: str, key: dict[str, Any]) -> Any:
            return (table, key["pk"]["S"], key["sk"]["S"])

        if name in ("PutItem",):
            return [(params["TableName"], key_of(params["TableName"], params["Item"]), False)]
        if name in ("UpdateItem", "DeleteItem"):
            return [(params["TableName"], key_of(params["TableName"], params["Key"]), False)]
        if name == "TransactWriteItems":
            found = []
            for action in params["TransactItems"]:
                (kind, body), = action.items()
                table = body["TableName"]
                found.append((table, key_of(table, body.get("Item") or body["Key"]), kind == "ConditionCheck"))
            return found
        return []

    @staticmethod
    def _item(table: str, key: Any) -> dict[str, Any] | None:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
        item = backend.get_item(table, {"pk": {"S": key[1]}, "sk": {"S": key[2]}})
        return None if item is None else dict(item.to_json()["Attributes"])

    def _write(self, old: dict[str, Any] | None, new: dict[str, Any] | None, second: int, transaction: bool) -> None:
        if old is None and new is None:
            return
        size = max(item_size(old) if old else 0, item_size(new) if new else 0)
        pk = (new or old or {})["pk"]["S"]
        self.wcu[("table", pk, second)] += math.ceil(size / 1024) * (2 if transaction else 1)
        for index in self._indexes:
            before, after = self._entry(index, old), self._entry(index, new)
            if before is None and after is None:
                continue
            name = index["index_name"]
            if before is not None and after is not None and before[0] == after[0]:
                if before[1] != after[1]:
                    self.wcu[(name, after[0][0], second)] += math.ceil(max(before[2], after[2]) / 1024)
                continue
            if before is not None:
                self.wcu[(name, before[0][0], second)] += math.ceil(before[2] / 1024)
            if after is not None:
                self.wcu[(name, after[0][0], second)] += math.ceil(after[2] / 1024)

    @staticmethod
    def _entry(index: dict[str, Any], item: dict[str, Any] | None) -> tuple[tuple[str, ...], Any, int] | None:
        """(the index key, the projected attributes, their size) of an item's entry in the index, if it has one."""
        if item is None:
            return None
        schema = sorted(index["key_schema"], key=lambda k: k["KeyType"] != "HASH")  # the partition key first
        names = [k["AttributeName"] for k in schema]
        if any(n not in item for n in names):
            return None
        projection = index["projection"]
        if projection["ProjectionType"] == "ALL":
            kept = item
        else:
            wanted = {*names, "pk", "sk", *projection.get("NonKeyAttributes", [])}
            kept = {n: v for n, v in item.items() if n in wanted}
        key = tuple(str(next(iter(item[n].values()))) for n in names)
        return key, sorted((n, repr(v)) for n, v in kept.items()), item_size(kept)

    def _read(self, item: dict[str, Any] | None, second: int, consistent: bool, transaction: bool = False) -> None:
        if item is None:
            return
        units = math.ceil(item_size(item) / 4096) * (2 if transaction else 1) * (1 if consistent else 0.5)
        self.rcu[("table", item["pk"]["S"], second)] += units

    def _query(self, params: dict[str, Any], items: list[dict[str, Any]], second: int) -> None:
        index = params.get("IndexName")
        values = params.get("ExpressionAttributeValues", {})
        partition = str(next(iter(values[":0"].values()))) if ":0" in values else "?"
        size = sum(item_size(i) for i in items)
        units = max(1, math.ceil(size / 4096)) * (1 if params.get("ConsistentRead") else 0.5)
        self.rcu[(index or "table", partition, second)] += units

    # Report ----------------------------------------------------------------------------------------------------

    def hottest(self, units: dict[tuple[str, str, int], float]) -> dict[str, dict[str, Any]]:
        """Per place and kind of partition: the highest units any one key took in one second, and its kind."""
        best: dict[str, dict[str, Any]] = {}
        for (place, key, second), value in units.items():
            label = f"{place} {kind_of(key)}"
            if value > best.get(label, {}).get("units", -1):
                best[label] = {"units": value, "second": second, "key_kind": kind_of(key), "place": place}
        return dict(sorted(best.items(), key=lambda kv: -kv[1]["units"]))

    def shards(self, index: str = "open_sessions") -> dict[str, Any]:
        """The sweep index's shards under the burst: the busiest second, all shards together and the hottest one."""
        per_second: dict[int, float] = defaultdict(float)
        hottest = 0.0
        for (place, _, second), value in self.wcu.items():
            if place == index:
                per_second[second] += value
                hottest = max(hottest, value)
        peak = max(per_second.values(), default=0.0)
        return {"peak_all_shards_wcu_s": peak, "peak_one_shard_wcu_s": hottest,
                "shards_needed_at_half_the_limit": max(1, math.ceil(peak / (WCU_LIMIT / 2)))}

    def report(self) -> dict[str, Any]:
        return {"writes": self.hottest(self.wcu), "reads": self.hottest(self.rcu), "open_sessions": self.shards(),
                "errors": self.errors[:5]}

    def rows(self) -> list[tuple[str, str, str, bool]]:
        """`make bench` rows: the hottest partition of each place for writes and reads, beside its limit."""
        rows: list[tuple[str, str, str, bool]] = []
        seen: set[str] = set()
        for label, figure in self.hottest(self.wcu).items():
            if figure["place"] in seen:
                continue
            seen.add(figure["place"])
            rows.append((f"hottest write partition, {label}", f"{figure['units']:.0f} WCU in 1 s",
                         f"<= {WCU_LIMIT}", figure["units"] <= WCU_LIMIT))
        seen.clear()
        for label, figure in self.hottest(self.rcu).items():
            if figure["place"] in seen:
                continue
            seen.add(figure["place"])
            rows.append((f"hottest read partition, {label}", f"{figure['units']:.0f} RCU in 1 s",
                         f"<= {RCU_LIMIT}", figure["units"] <= RCU_LIMIT))
        shards = self.shards()
        rows.append(("open-session shards: busiest second, all shards / one shard",
                     f"{shards['peak_all_shards_wcu_s']:.0f} / {shards['peak_one_shard_wcu_s']:.0f} WCU",
                     f"shards needed: {shards['shards_needed_at_half_the_limit']} (have 4)",
                     shards["shards_needed_at_half_the_limit"] <= 4))
        return rows
