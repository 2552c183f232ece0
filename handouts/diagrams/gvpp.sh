#!/bin/sh
# gvpp.sh LANG SRC.gv: print SRC with the shared style pasted in and its
# labels in one language, ready for dot.
#
# A diagram source writes every label once in both languages as
# {{English||한국어}} (no '|' or '}' inside), so that the English and the
# Korean figure share one layout; @node:KIND and @cell:KIND give a node or
# an HTML-table cell the colour of its kind of layer (style.gvi).
set -eu
lang=$1
src=$2
style=$(dirname "$0")/style.gvi
case "$lang" in
en) pick='\1' ;;
ko) pick='\2' ;;
*) echo "gvpp.sh: language must be en or ko, not '$lang'" >&2; exit 2 ;;
esac
colours=$(sed -n 's|^//@color \([a-z]*\) *\(#[0-9a-fA-F]*\)$|s/@cell:\1\\b/BGCOLOR="\2"/g;s/@node:\1\\b/style="filled,rounded" fillcolor="\2"/g;|p' "$style")
out=$(sed -e "/^[[:space:]]*\/\/@style[[:space:]]*$/{
r $style
d
}" "$src" | sed -e "$colours" -e "s/{{\([^|}]*\)||\([^}]*\)}}/$pick/g")
# Whatever is left unexpanded is a typo in the source: fail the build.
if printf '%s\n' "$out" | grep -n -e '{{' -e '}}' -e '@cell:' -e '@node:' >&2; then
	echo "gvpp.sh: $src: unexpanded {{..||..}} or @node:/@cell: kind above" >&2
	exit 1
fi
printf '%s\n' "$out"
