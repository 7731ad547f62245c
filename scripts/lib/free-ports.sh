# Sourced by the scripts that start members on free loopback ports. free_ports N prints N distinct
# free ports, space-separated: all N sockets are bound before any is closed, so no two are the same
# port. (Picked one at a time, each socket closed before the next bind, two members of one
# bench-ab.sh cluster once drew the same port and the cluster refused to start: "member exists with
# identical ID".) A port can still be taken by another process before the member binds it.
free_ports() {
  python3 -c '
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()' "$1"
}
