"""ScriptService's API called from Python's stock grpcio client, with stubs generated from our proto.

Each case prints PASS or FAIL; the last line is "api: N passed, M failed".
"""
import argparse
import sys
import traceback

import grpc

from scriptdsl.v1 import script_service_pb2 as pb
from scriptdsl.v1 import script_service_pb2_grpc as rpc

LAMP = "lamp_shop"


def reply(stub, conversation, text, request_id=""):
    return stub.Reply(pb.ReplyRequest(shop_id=LAMP, conversation_id=conversation, message=text, request_id=request_id), timeout=10)


def lamp_cart():
    return pb.Cart(lines=[pb.CartLine(sku="KT-880", name="现代客厅方形吸顶灯", unit_price_minor=69900, quantity=1, category="客厅"),
                          pb.CartLine(sku="NB-201", name="北欧简约卧室吸顶灯", unit_price_minor=29900, quantity=1, category="卧室")])


def list_scripts(stub):
    scripts = stub.ListScripts(pb.ListScriptsRequest(), timeout=10).scripts
    ids = sorted(s.shop_id for s in scripts)
    assert ids == ["apparel_shop", "lamp_shop"], ids
    lamp = next(s for s in scripts if s.shop_id == LAMP)
    assert lamp.display_name == "明亮灯饰", lamp.display_name
    assert "price_objection" in lamp.intents


def reply_dialogue(stub):
    first = reply(stub, "py-1", "老板,请给我推荐一款卧室灯")
    assert first.intent == "recommend", first.intent
    assert first.slots["room"] == "卧室", dict(first.slots)
    assert "欢迎光临" in first.messages[0].text, first.messages[0].text
    reply(stub, "py-1", "我更喜欢方形的")
    third = reply(stub, "py-1", "我家是北欧装修风格")
    assert third.actions[0].recommend.sku == "NB-201", third


def reply_retry_is_idempotent(stub):
    a = reply(stub, "py-2", "在吗", "req-1")
    b = reply(stub, "py-2", "在吗", "req-1")
    assert a == b


def reply_validation(stub):
    try:
        reply(stub, "py-3", "")
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.INVALID_ARGUMENT, e.code()
        assert "message" in e.details(), e.details()
    else:
        raise AssertionError("an empty message was accepted")
    try:
        stub.Reply(pb.ReplyRequest(shop_id="nope", conversation_id="c", message="在吗"), timeout=10)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.NOT_FOUND, e.code()
    else:
        raise AssertionError("an unknown shop was accepted")


def negotiate(stub):
    request = pb.NegotiateRequest(shop_id=LAMP, conversation_id="py-4", cart=lamp_cart(), any_better=True, request_id="n-1")
    first = stub.Negotiate(request, timeout=10)
    assert first.round == 1, first.round
    assert first.decision != pb.NegotiateResponse.DECISION_UNSPECIFIED
    assert first.total_minor > 0 and first.messages, first
    again = stub.Negotiate(request, timeout=10)
    assert again == first, "a retried negotiation changed its answer"
    second = stub.Negotiate(pb.NegotiateRequest(shop_id=LAMP, conversation_id="py-4", cart=lamp_cart(), discount_percent=20), timeout=10)
    assert second.round == 2, second.round
    assert second.total_minor <= first.total_minor
    try:
        stub.Negotiate(pb.NegotiateRequest(shop_id=LAMP, conversation_id="py-4", cart=lamp_cart()), timeout=10)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.INVALID_ARGUMENT and "ask" in e.details(), (e.code(), e.details())
    else:
        raise AssertionError("a negotiation without an ask was accepted")


def converse(stub):
    lines = ["老板,请给我推荐一款卧室灯", "我更喜欢方形的", "我家是北欧装修风格"]
    requests = [pb.ConverseRequest(message=pb.ReplyRequest(shop_id=LAMP, conversation_id="py-5", message=m)) for m in lines]
    requests.append(pb.ConverseRequest(negotiate=pb.NegotiateRequest(shop_id=LAMP, conversation_id="py-5", cart=lamp_cart(), any_better=True)))
    responses = list(stub.Converse(iter(requests), timeout=20))
    assert len(responses) == 4, len(responses)
    assert responses[2].actions[0].recommend.sku == "NB-201"
    assert responses[3].messages, responses[3]


def quote_and_stats(stub):
    quote = stub.Quote(pb.QuoteRequest(shop_id=LAMP, cart=lamp_cart()), timeout=10)
    assert quote.list_total_minor == 99800, quote.list_total_minor
    assert quote.per_day_minor > 0
    reply(stub, "py-6", "在吗")
    stub.RecordOutcome(pb.RecordOutcomeRequest(shop_id=LAMP, conversation_id="py-6", outcome=pb.RecordOutcomeRequest.PAID, paid_total_minor=29900), timeout=10)
    stats = stub.GetStats(pb.GetStatsRequest(shop_id=LAMP), timeout=10)
    assert stats.paid >= 1 and stats.conversations >= 1, stats


CASES = [list_scripts, reply_dialogue, reply_retry_is_idempotent, reply_validation, negotiate, converse, quote_and_stats]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_port", type=int, required=True)
    args = parser.parse_args()
    passed = failed = 0
    with grpc.insecure_channel(f"127.0.0.1:{args.server_port}") as channel:
        stub = rpc.ScriptServiceStub(channel)
        for case in CASES:
            try:
                case(stub)
                print(f"PASS {case.__name__}")
                passed += 1
            except Exception:  # noqa: BLE001 - report every failure and go on
                print(f"FAIL {case.__name__}")
                traceback.print_exc()
                failed += 1
    print(f"api: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
