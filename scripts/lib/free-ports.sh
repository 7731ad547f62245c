# Sourced by the scripts that start members on free loopback ports. free_ports N sets the array
# FREE_PORTS to N distinct free ports: all N sockets are bound before any is closed, so no two are
# the same port. (Picked one at a time, each socket closed before the next bind, two members of one
# bench-ab.sh cluster once drew the same port and the cluster refused to start: "member exists with
# identical ID".) Nor does it hand out a port it handed out before in this shell, since a member
# started from an earlier pick may not have bound its port yet; so call it directly, not in $(...)
# or <(...), where what it hands out would be forgotten. A port can still be taken by another
# process before the member binds it.
free_ports_handed="${free_ports_handed:- }" # kept when the file is sourced again
free_ports() { # N
  local port clash
  while :; do
    read -r -a FREE_PORTS < <(python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()' "$1")
    clash=""
    for port in "${FREE_PORTS[@]}"; do [[ "$free_ports_handed" == *" $port "* ]] && clash=yes; done
    [[ -z "$clash" ]] && break
  done
  free_ports_handed+="${FREE_PORTS[*]} "
}
