# `make test` is the one test command (CI runs it); `./tributary demo` is the demo.
.PHONY: test build demo clean

test:
	mvn -B verify

build:
	mvn -B -q -Dstyle.color=never -DskipTests package

demo:
	./tributary demo

clean:
	mvn -B -q clean
