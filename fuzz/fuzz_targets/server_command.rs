#![no_main]
imapwebpush_fuzz::target!(server_command);
