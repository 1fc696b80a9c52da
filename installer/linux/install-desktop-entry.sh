#!/bin/sh
# Adds Daryn Desktop to this user's application menu and makes a double-clicked sync bundle
# (.dsb) open in it; `--remove` takes that away again. Needs no administrator rights: it
# writes only under ~/.local/share. The program itself stays in this folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
sizes="16 24 32 48 64 128 256"

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$data/applications" || true
    command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$data/mime" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 \
        && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
}

if [ "${1:-}" = "--remove" ]; then
    rm -f "$data/applications/daryn-desktop.desktop" "$data/mime/packages/daryn-bundle.xml"
    for size in $sizes; do
        rm -f "$data/icons/hicolor/${size}x${size}/apps/daryn-desktop.png" \
              "$data/icons/hicolor/${size}x${size}/mimetypes/application-x-daryn-bundle.png"
    done
    refresh
    echo "Daryn Desktop was removed from the menu (the program folder and the data stay)."
    exit 0
fi

case "$here" in
    *[\"\`\$\\]*) echo "Move the program to a folder whose name has no \" \` \$ or \\ in it." >&2
                  exit 1 ;;
esac
mkdir -p "$data/applications" "$data/mime/packages"
for size in $sizes; do
    dir="$data/icons/hicolor/${size}x${size}"
    mkdir -p "$dir/apps" "$dir/mimetypes"
    cp "$here/_internal/resources/icons/daryn-$size.png" "$dir/apps/daryn-desktop.png"
    cp "$here/_internal/resources/icons/daryn-bundle-$size.png" \
       "$dir/mimetypes/application-x-daryn-bundle.png"
done
sed "s|^Exec=daryn-desktop |Exec=\"$here/daryn-desktop\" |" "$here/daryn-desktop.desktop" \
    > "$data/applications/daryn-desktop.desktop"
cp "$here/daryn-bundle.xml" "$data/mime/packages/daryn-bundle.xml"
refresh
echo "Daryn Desktop is in the application menu; .dsb bundles open in it."
