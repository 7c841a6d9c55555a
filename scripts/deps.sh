#!/usr/bin/env bash
# Installs what ea needs to build and test, from Debian 12's packages only. Run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  ca-certificates g++ cmake ninja-build \
  libboost-dev libfmt-dev nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev \
  libopencv-dev libjpeg-dev zlib1g-dev libcli11-dev libsimdjson-dev libssl-dev doctest-dev clang-format >/dev/null
