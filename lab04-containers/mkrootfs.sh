#!/bin/sh
# mkrootfs.sh OUT [EXTRA_BIN...]: a small root file system for containers,
# made of Debian's busybox-static (one static binary, a symlink per applet)
# plus the given static programs (the tests' probe) in /bin. Built beside
# OUT and renamed into place, so a half-built tree is never used.
set -eu
out=${1:?usage: mkrootfs.sh OUT [EXTRA_BIN...]}
shift
bb=/bin/busybox
if ! [ -x "$bb" ] || ! "$bb" --list >/dev/null 2>&1; then
	echo "mkrootfs: $bb is missing: install busybox-static (make deps)" >&2
	exit 1
fi
case $(file -b "$bb" 2>/dev/null || echo static) in
*dynamic*) echo "mkrootfs: $bb is linked dynamically: install busybox-static, not busybox" >&2; exit 1 ;;
esac
tmp=$out.tmp.$$
rm -rf "$tmp"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
for d in bin sbin usr/bin usr/sbin etc root tmp proc sys dev var/tmp; do
	mkdir -p "$tmp/$d"
done
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
cp "$bb" "$tmp/bin/busybox"
for a in $("$bb" --list); do
	[ -e "$tmp/bin/$a" ] || ln -s busybox "$tmp/bin/$a"
done
for p in "$@"; do
	cp "$p" "$tmp/bin/$(basename "$p")"
done
cat > "$tmp/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$tmp/etc/group" <<'G'
root:x:0:
nogroup:x:65534:
G
echo container > "$tmp/etc/hostname"
# Readable by everyone: --user containers run as the caller.
chmod -R a+rX "$tmp"
rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
echo "mkrootfs: $out ($(du -sh "$out" | cut -f1), busybox $("$bb" 2>&1 | head -n 1 | cut -d' ' -f2))"
