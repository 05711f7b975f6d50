"""The bench's own pieces work (the bench itself is `make bench`, never a test: no timings here)."""

from __future__ import annotations

import os
import struct

from bench import run
from drop.v1 import rates_pb2, transactions_pb2


def test_a_grpc_body_is_one_length_prefixed_message() -> None:
    message = transactions_pb2.PayMerchantRequest(merchant_id="mer_1", amount=1.0)
    frame = run.grpc_frame(message)
    assert frame[0] == 0
    assert struct.unpack(">I", frame[1:5])[0] == len(frame) - 5
    assert transactions_pb2.PayMerchantRequest.FromString(frame[5:]) == message
    assert run.grpc_frame(rates_pb2.ListRatesRequest()) == b"\x00\x00\x00\x00\x00"


def test_values_unique_per_payment_become_pgbench_variables() -> None:
    sql = (
        "INSERT INTO t VALUES ('tx_qr_ba0a7ae05d08b778', 'E2Ebb8a0bf7db93738085f06c3ac4931', "
        "'DROP-BA0A7AE05D', 'pmt_ad09917fb1a3557443442e54', 'noti_fe9c72a37eaf3ad9', "
        "'usr_c10560e3100a47af')"
    )
    replaced = run.UNIQUE.sub(lambda m: "'" + run._variable(m.group(1)) + "'", sql)
    assert replaced == (
        "INSERT INTO t VALUES ('tx_qr_78:r', 'E2E31:r', 'DROP-5D:r', 'pmt_54:r', 'noti_d9:r', "
        "'usr_c10560e3100a47af')"
    )


def test_cpu_and_memory_are_read_from_proc() -> None:
    assert run.tree_cpu([os.getpid()]) > 0
    assert run.rss_mib(os.getpid()) > 1


def test_a_table_prints_ratios(capsys) -> None:  # type: ignore[no-untyped-def]
    base = run.Result("base", 100, 0, 1.0, {"workers": 0.1})
    other = run.Result("other", 50, 0, 1.0, {"workers": 0.1})
    run.table("t", [other, base], base)
    out = capsys.readouterr().out
    assert "1000" in out  # µs per request of the base
    assert " 0.50 " in out
