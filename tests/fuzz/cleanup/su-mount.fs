# a mount below a scratch root the script made unsearchable, then su (guest-errors.log, 7 Dec):
# the clean-up unmounted as the script left the identity, EACCES, and the mount stayed
mkdir b 0755
mount b 0 -
fchmodat2 AT_FDCWD . 0644 0
su 1000 1000
