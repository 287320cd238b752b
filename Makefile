# Cairn: `make run` opens the dashboard on a demo school; `make test` runs every test.
SWIFT ?= swift
DEMO_DB ?= .cairn/demo.sqlite
SYSTEM_PACKAGES := libncursesw5-dev libsqlite3-dev tmux
export LANG := C.UTF-8

.PHONY: run test build deps clean-demo first-frame

run: deps build
	./.build/debug/cairn demo --db $(DEMO_DB)

build: deps
	$(SWIFT) build --product cairn

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The curses and SQLite headers, and tmux for the end-to-end tests. Installed when missing and
# running as root; otherwise the exact command is printed.
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
		else \
			echo "Cairn needs these system packages:$$missing"; \
			echo "Install them with:  sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

# Time from process start to the first complete frame of the queue, release build, under a pty.
first-frame: deps
	$(SWIFT) build -c release --product cairn
	./.build/release/cairn demo --db $(DEMO_DB) --no-open
	python3 Tests/Tools/first_frame.py ./.build/release/cairn $(DEMO_DB) 20

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
