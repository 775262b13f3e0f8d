#![no_main]
imapwebpush_fuzz::target!(imap_response);
