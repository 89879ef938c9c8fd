#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when they are missing.
# As root it runs apt-get; otherwise it says exactly what to install and fails.
set -euo pipefail

# command-to-check  debian-package
REQUIRED=(
  "/usr/bin/chromium chromium"
  "riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf"
  "riscv64-unknown-elf-objdump binutils-riscv64-unknown-elf"
  "qemu-system-riscv32 qemu-system-misc"
  "make make"
  "dtc device-tree-compiler"
  "gdb-multiarch gdb-multiarch"
  "arm-none-eabi-gcc gcc-arm-none-eabi"
  "arm-none-eabi-objdump binutils-arm-none-eabi"
  "qemu-system-arm qemu-system-arm"
)

missing=()
for entry in "${REQUIRED[@]}"; do
  read -r command package <<<"$entry"
  if ! command -v "$command" >/dev/null 2>&1; then missing+=("$package"); fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: missing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: the test suites need these Debian packages: ${missing[*]}" >&2
  echo "hint: run  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "system packages: installing with apt-get (this takes a few minutes the first time)"
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "system packages: installed ${missing[*]}"
