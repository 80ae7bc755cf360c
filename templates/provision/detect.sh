# Facts about a host, in sections the provisioner parses. POSIX sh; reads only.
echo "@@os-release"
cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || true
echo "@@init"
if [ -d /run/systemd/system ]; then
  echo systemd
elif [ -d /run/openrc ]; then
  echo openrc
elif [ -p /run/initctl ] || [ -p /dev/initctl ]; then
  echo sysvinit
else
  echo none
fi
echo "@@dockerd"
PATH="$PATH:/usr/sbin:/usr/bin:/sbin:/bin" command -v dockerd 2>/dev/null || true
echo "@@privilege"
if [ "$(id -u)" = 0 ]; then
  echo root
elif sudo -n true 2>/dev/null; then
  echo sudo
else
  echo none
fi
echo "@@daemon.json"
cat /etc/docker/daemon.json 2>/dev/null || true
