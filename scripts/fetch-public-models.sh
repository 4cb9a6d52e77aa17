#!/usr/bin/env bash
# Reproduces test/fixtures/public/: a small set of real public glTF files and one real
# animal model, taken from Debian's assimp-testmodels package (the test models of the
# Open Asset Import Library; Debian's copyright file gives them as BSD-3-clause, the
# glTF-Asset-Generator ones as Expat). The glTF files come from Khronos' glTF-Sample-Models
# and the glTF validator's test set; the spider is a MilkShape 3D OBJ, converted here to a
# GLB with obj2gltf (npm, Apache-2.0), the standard Cesium converter.
#
#   scripts/fetch-public-models.sh [OUT_DIR]     # default test/fixtures/public
#
# Needs apt-get (Debian/Ubuntu), dpkg-deb and npx. Set ASSIMP_TESTMODELS_DEB to a downloaded
# assimp-testmodels_*.deb to skip the download. Writes only into OUT_DIR, replacing the
# folders it makes (README.md and mappings/ there are kept).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/test/fixtures/public}
OBJ2GLTF=obj2gltf@3.2.0
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

DEB=${ASSIMP_TESTMODELS_DEB:-}
if [ -z "$DEB" ]; then
  (cd "$WORK" && apt-get download assimp-testmodels >/dev/null)
  DEB=$(ls "$WORK"/assimp-testmodels_*_all.deb)
fi
echo "package: $(basename "$DEB") ($(sha256sum "$DEB" | cut -c1-16)...)"
dpkg-deb -x "$DEB" "$WORK/x"
M="$WORK/x/usr/share/assimp/models"

# copy DEST_DIR SOURCE_FILE... (relative to the package's models directory)
copy() {
  local dest="$OUT/$1"; shift
  mkdir -p "$dest"
  for f in "$@"; do cp "$M/$f" "$dest/"; done
}

# Replace only what this script makes (README.md and mappings/ beside them are written by hand).
DIRS="spider draco-engine morph-cube simple-skin box-textured texture-transform missing-bin index-out-of-range wrong-types"
mkdir -p "$OUT"
for d in $DIRS; do rm -rf "${OUT:?}/$d"; done
# Draco-compressed engine: 115 meshes of a CAD model (the 1.8 MB uncompressed GLB is left out).
copy draco-engine glTF2/draco/2CylinderEngine.gltf glTF2/draco/2CylinderEngine.bin
# Morph targets (two, with an animation of their weights).
copy morph-cube glTF2/glTF-Sample-Models/AnimatedMorphCube-glTF/AnimatedMorphCube.gltf \
  glTF2/glTF-Sample-Models/AnimatedMorphCube-glTF/AnimatedMorphCube.bin
# A skinned strip (two joints), the glTF tutorial's skin example.
copy simple-skin glTF2/simple_skin/simple_skin.gltf
# External buffer and texture beside the .gltf.
copy box-textured glTF2/BoxTextured-glTF/BoxTextured.gltf glTF2/BoxTextured-glTF/BoxTextured0.bin \
  glTF2/BoxTextured-glTF/CesiumLogoFlat.png
# KHR_texture_transform on textured planes.
copy texture-transform glTF2/textureTransform/TextureTransformTest.gltf glTF2/textureTransform/TextureTransformTest.bin \
  glTF2/textureTransform/Arrow.png glTF2/textureTransform/Correct.png glTF2/textureTransform/Error.png \
  glTF2/textureTransform/NotSupported.png glTF2/textureTransform/UV.png
# Broken files: a missing buffer, indices past the vertices, schema type errors.
copy missing-bin glTF2/MissingBin/BoxTextured.gltf
copy index-out-of-range glTF2/IndexOutOfRange/IndexOutOfRange.gltf glTF2/IndexOutOfRange/IndexOutOfRange.bin
copy wrong-types glTF2/wrongTypes/badArray.gltf glTF2/wrongTypes/badNumber.gltf glTF2/wrongTypes/badUint.gltf \
  glTF2/wrongTypes/badString.gltf glTF2/wrongTypes/BoxTextured0.bin glTF2/wrongTypes/CesiumLogoFlat.png

# The spider: OBJ with its material file and the small textures (the 200 KB wood texture of
# the legs is left out; obj2gltf then draws the legs untextured).
mkdir -p "$WORK/spider" "$OUT/spider"
for f in spider.obj spider.mtl SpiderTex.jpg wal67ar_small.jpg wal69ar_small.jpg engineflare1.jpg; do cp "$M/OBJ/$f" "$WORK/spider/"; done
(cd "$WORK/spider" && npx --yes "$OBJ2GLTF" -i spider.obj -o spider.glb 2>&1 | grep -v '^Total' || true)
cp "$WORK/spider/spider.glb" "$OUT/spider/"

cp "$WORK/x/usr/share/doc/assimp-testmodels/copyright" "$OUT/COPYRIGHT.assimp-testmodels"
(cd "$OUT" && du -cb $DIRS COPYRIGHT.assimp-testmodels | tail -1 | awk '{printf "wrote %d bytes", $1}')
echo " in $( (cd "$OUT" && find $DIRS -type f; echo COPYRIGHT.assimp-testmodels) | wc -l) files to $OUT"
