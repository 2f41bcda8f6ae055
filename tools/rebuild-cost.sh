#!/usr/bin/env bash
# What a model costs its user at build time: builds a project declaring one model and one declaring twelve
# (2x2 to 2048x2048), then times rebuilds after touching a source file, and prints the generated source and the
# rebuild time per added model. Usage: tools/rebuild-cost.sh [rebuilds per project, default 5]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

shapes=("2, 2" "4, 2" "8, 3" "16, 4" "32, 8" "64, 16" "128, 32" "256, 64" "512, 128" "784, 64" "1024, 256" "2048, 2048")

make_project() { # name, model count
  local dir="$work/$1" count="$2"
  mkdir -p "$dir"
  cat > "$dir/$1.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Library</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/Runtime/AeGen.csproj" />
    <ProjectReference Include="$root/Generator/AeGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
XML
  : > "$dir/Models.cs"
  for ((i = 0; i < count; i++)); do
    echo "[AeGen.Autoencoder(${shapes[$i]})] public partial class Model$i;" >> "$dir/Models.cs"
  done
  echo "public static class Touched { public const int Stamp = 0; }" > "$dir/Touched.cs"
}

# Prints the median wall time, in ms, of $runs rebuilds of project $1 (the referenced projects are up to date).
rebuild_ms() {
  local dir="$work/$1" times=()
  dotnet build "$dir" -c Release -nologo -v q > /dev/null
  for ((r = 0; r < runs; r++)); do
    echo "public static class Touched { public const int Stamp = $((r + 1)); }" > "$dir/Touched.cs"
    local start end
    start=$(date +%s%N)
    dotnet build "$dir" -c Release -nologo -v q --no-restore --no-dependencies > /dev/null
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

make_project One 1
make_project Twelve 12
one=$(rebuild_ms One)
twelve=$(rebuild_ms Twelve)
echo "generated source per model (bytes):"
joined="$(printf '%s;' "${shapes[@]}")"
find "$work/Twelve/obj" -name '*.g.cs' -path '*AeGen.Generator*' -printf '%s %f\n' | sed 's/Model\([0-9]*\)\.g\.cs/\1/' | sort -k2 -n |
  awk -v shapes="$joined" 'BEGIN { split(shapes, s, ";") } { gsub(", ", "x", s[$2 + 1]); printf "  %-10s %7d\n", s[$2 + 1], $1; total += $1 } END { printf "  %-10s %7d\n", "total", total }'
echo "rebuild, 1 model:   $one ms (median of $runs)"
echo "rebuild, 12 models: $twelve ms (median of $runs)"
awk -v a="$one" -v b="$twelve" 'BEGIN { printf "per added model:    %.0f ms\n", (b - a) / 11 }'
