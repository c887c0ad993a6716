"""Server reflection seen from Python's grpcio, as a generic tool would use it.

Debian ships no grpcio-reflection client nor grpcurl, so this drives the raw
grpc.reflection.v1alpha and v1 stubs generated from protos/ (packages `reflection_v1alpha_pb`,
`reflection_v1_pb`): list the services, fetch the file descriptors of grpc.testing.TestService,
and rebuild its description from those bytes alone.

Usage: reflection_check.py --server_port PORT
"""
import argparse
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool

import reflection_v1_pb.reflection_pb2 as v1
import reflection_v1_pb.reflection_pb2_grpc as v1_grpc
import reflection_v1alpha_pb.reflection_pb2 as v1alpha
import reflection_v1alpha_pb.reflection_pb2_grpc as v1alpha_grpc

TIMEOUT = 10


def check(messages, stub):
    services = next(stub.ServerReflectionInfo(iter([messages.ServerReflectionRequest(list_services="*")]), timeout=TIMEOUT))
    names = {s.name for s in services.list_services_response.service}
    for expected in ("grpc.testing.TestService", "grpc.health.v1.Health"):
        if expected not in names:
            raise AssertionError("%s not listed: %r" % (expected, sorted(names)))

    answer = next(stub.ServerReflectionInfo(iter([messages.ServerReflectionRequest(file_containing_symbol="grpc.testing.TestService")]), timeout=TIMEOUT))
    protos = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in answer.file_descriptor_response.file_descriptor_proto]
    pool = descriptor_pool.DescriptorPool()
    pending = list(protos)
    while pending:  # add each file once its imports are in the pool
        for proto in list(pending):
            if all(any(p.name == dep for p in protos if p not in pending) for dep in proto.dependency):
                pool.Add(proto)
                pending.remove(proto)
    service = pool.FindServiceByName("grpc.testing.TestService")
    methods = {m.name for m in service.methods}
    if not {"EmptyCall", "UnaryCall", "FullDuplexCall"} <= methods:
        raise AssertionError("TestService methods: %r" % sorted(methods))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server_host", default="127.0.0.1")
    parser.add_argument("--server_port", type=int, required=True)
    args = parser.parse_args()
    with grpc.insecure_channel("%s:%d" % (args.server_host, args.server_port)) as channel:
        check(v1alpha, v1alpha_grpc.ServerReflectionStub(channel))
        check(v1, v1_grpc.ServerReflectionStub(channel))
    print("reflection check (v1alpha and v1): OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
