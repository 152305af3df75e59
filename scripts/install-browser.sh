#!/usr/bin/env bash
# Placeholder: the browser test set-up (Debian chromium, axe-core) is added with the browser tests.
exit 0
