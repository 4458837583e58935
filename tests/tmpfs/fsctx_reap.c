/*
 * Guest (--tmpfs=/mnt/t): each child of a process whose cwd is in the mount
 * gets a cwd record in the supervisor; records must go when the children
 * exit, or the supervisor runs out of fds. Exit 0 pass, 1 fail.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
static int count_fds(pid_t pid) {
	char p[64]; int n = 0; snprintf(p, sizeof p, "/proc/%d/fd", pid);
	DIR *d = opendir(p); if (!d) return -1; while (readdir(d)) n++; closedir(d); return n - 2;
}
int main(void) {
	pid_t sup = getppid();
	if (chdir("/mnt/t")) { perror("chdir"); return 1; }
	int before = count_fds(sup), after;

	printf("supervisor fds before: %d\n", before);
	for (int i = 0; i < 3000; i++) {
		pid_t c = fork();
		if (c == 0) { struct stat st; stat("nonexistent", &st); _exit(0); }
		waitpid(c, NULL, 0);
	}
	after = count_fds(sup);
	printf("supervisor fds after 3000 short-lived children: %d\n", after);
	/* Bounded: the supervisor's cache of recent threads' pidfds holds at most 64. */
	return after > before + 64 + 16;
}
