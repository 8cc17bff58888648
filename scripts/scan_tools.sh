#!/usr/bin/env bash
# Scans (issue 19): the synthetic scans are written in handwriting-like fonts from Debian's packages
# (fonts-dkg-handwriting, fonts-bwht, fonts-humor-sans); the OCR benchmark uses Debian's Tesseract.
set -euo pipefail
want=(fonts-dkg-handwriting fonts-bwht fonts-humor-sans tesseract-ocr)
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "scan tools: handwriting fonts and Tesseract are installed"
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "scan tools: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  }
  echo "scan tools: installed"
else
  echo "scan tools: missing ${missing[*]}; synthetic scans fall back to DejaVu (apt-get install them)" >&2
fi
