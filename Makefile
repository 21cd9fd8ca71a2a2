# `make test` is the one test command (CI runs it); `./tributary demo` is the demo.
.PHONY: test build demo clean

# The DNS tests run a real BIND 9 and the Traefik etcd tests a real etcd (its TLS certificates made
# with openssl): install them when missing (as root, or through sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

test:
	@[ -x /usr/sbin/named ] && command -v nsupdate >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y bind9 bind9-utils bind9-dnsutils; }
	@command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y etcd-server etcd-client; }
	@command -v openssl >/dev/null 2>&1 || \
	  { $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y openssl; }
	mvn -B verify

build:
	mvn -B -q -Dstyle.color=never -DskipTests package

demo:
	./tributary demo

clean:
	mvn -B -q clean
