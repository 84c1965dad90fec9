#!/usr/bin/env bash
# Install zhizao into ./.venv (Python 3.11+). `--test` also installs what the test suite needs:
# the test Python packages (with the spark engine's pyspark) and the system packages listed in
# scripts/system-packages.txt (with its Java runtime).
# Each step is announced and pip shows what it fetches (a first install takes a minute or two).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
step() { printf '\n==> [%s] %s\n' "$1" "$2"; }
TOTAL=3
[ "${1:-}" = "--test" ] && TOTAL=4
if [ ! -x .venv/bin/python ]; then
  step "1/$TOTAL" "创建虚拟环境 .venv / creating the virtual environment .venv"
  "$PY" -m venv .venv
else
  step "1/$TOTAL" "使用已有的 .venv / using the existing .venv"
fi
step "2/$TOTAL" "更新 pip / updating pip"
.venv/bin/python -m pip install --upgrade pip --progress-bar on 2>&1 | grep -v '^Requirement already satisfied' || true
if [ "${1:-}" = "--test" ]; then
  step "3/$TOTAL" "安装 zhizao 及测试依赖（首次约需一两分钟）/ installing zhizao and the test dependencies"
  .venv/bin/python -m pip install --progress-bar on -e ".[test,spark]"  # the spark engine is tested too
  step "4/$TOTAL" "安装测试所需的系统软件包 / installing the system packages the tests need"
  bash scripts/install-system.sh
else
  step "3/$TOTAL" "安装 zhizao 及其依赖（首次约需一两分钟）/ installing zhizao and its dependencies"
  .venv/bin/python -m pip install --progress-bar on -e .
fi
printf '\n==> 完成 / done: %s\n' "$(.venv/bin/zhizao --version)"
