#!/usr/bin/env bash
# Regenerates the fixture services in three generated-code styles, with
# pinned generators (needs protoc, Debian: protobuf-compiler):
#   echo/       protoc-gen-go-grpc v1.6.2: generic grpc.ServerStreamingServer[T] streams
#   echov13/    protoc-gen-go-grpc v1.3.0: named Echo_XxxServer stream interfaces
#   echolegacy/ github.com/golang/protobuf protoc-gen-go v1.4.3 plugins=grpc:
#               the oldest form, RegisterEchoServer(*grpc.Server, EchoServer)
set -euo pipefail
cd "$(dirname "$0")"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
mkdir -p "$bin/new" "$bin/v13" "$bin/legacy"
GOBIN=$bin/new go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
GOBIN=$bin/new go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
GOBIN=$bin/v13 go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.3.0
GOBIN=$bin/legacy go install github.com/golang/protobuf/protoc-gen-go@v1.4.3
gen() { # dir go-grpc-plugin-dir
  protoc -I "$1" --plugin=protoc-gen-go="$bin/new/protoc-gen-go" --plugin=protoc-gen-go-grpc="$2/protoc-gen-go-grpc" \
    --go_out="$1" --go_opt=paths=source_relative \
    --go-grpc_out="$1" --go-grpc_opt=paths=source_relative "$1/$1.proto"
}
gen echo "$bin/new"
gen echov13 "$bin/v13"
protoc -I echolegacy --plugin=protoc-gen-go="$bin/legacy/protoc-gen-go" \
  --go_out=plugins=grpc,paths=source_relative:echolegacy echolegacy/echolegacy.proto
