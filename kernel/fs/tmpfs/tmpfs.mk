# kernel/fs/tmpfs: the in-memory tmpfs core (no global state, no seccomp).
# Included by the top-level Makefile; defines sources only.
TMPFS_DIR := kernel/fs/tmpfs
TMPFS_SRCS := $(TMPFS_DIR)/mount.c $(TMPFS_DIR)/inode.c $(TMPFS_DIR)/dir.c \
	$(TMPFS_DIR)/regfile.c $(TMPFS_DIR)/symlink.c $(TMPFS_DIR)/namei.c \
	$(TMPFS_DIR)/pathops.c $(TMPFS_DIR)/file.c $(TMPFS_DIR)/special.c \
	$(TMPFS_DIR)/store.c $(TMPFS_DIR)/xattr.c $(TMPFS_DIR)/acl.c $(TMPFS_DIR)/dpath.c \
	$(TMPFS_DIR)/fsnotify.c $(TMPFS_DIR)/userns.c $(TMPFS_DIR)/fault.c $(TMPFS_DIR)/options.c
TMPFS_HDRS := $(TMPFS_DIR)/tmpfs.h $(TMPFS_DIR)/tmpfs_int.h
