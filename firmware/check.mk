# `make check`, shared by firmware/Makefile and firmware/arm/Makefile: rebuild every program in a
# temporary directory and compare each ELF byte for byte with the committed one in INSTALL_DIR.
# The including Makefile sets PROGRAMS, INSTALL_DIR and FIRMWARE_NAME (its folder from the
# repository root, e.g. firmware/arm), which the messages name.
CHECK_PUBLIC := public/$(FIRMWARE_NAME)

check:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory -s OUT="$$tmp" all >/dev/null; \
	status=0; \
	for p in $(PROGRAMS); do \
	  if [ ! -f $(INSTALL_DIR)/$$p.elf ]; then \
	    echo "$(FIRMWARE_NAME): $(CHECK_PUBLIC)/$$p.elf is missing; run 'make -C $(FIRMWARE_NAME) install'" >&2; status=1; \
	  elif ! cmp -s "$$tmp/$$p.elf" $(INSTALL_DIR)/$$p.elf; then \
	    echo "$(FIRMWARE_NAME): $(CHECK_PUBLIC)/$$p.elf is stale (differs from a fresh build of $(FIRMWARE_NAME)/$$p); run 'make -C $(FIRMWARE_NAME) install'" >&2; status=1; \
	  fi; \
	done; \
	if [ $$status -eq 0 ]; then echo "$(FIRMWARE_NAME): $(CHECK_PUBLIC)/*.elf match the sources ($(PROGRAMS))"; fi; \
	exit $$status
