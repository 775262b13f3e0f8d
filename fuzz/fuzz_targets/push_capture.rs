#![no_main]
imapwebpush_fuzz::target!(push_capture);
