#include "cli.h"
int cmd_report(int argc, char **argv) { (void)argc; (void)argv; die("report: not yet"); }
