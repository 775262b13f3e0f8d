#![no_main]
imapwebpush_fuzz::target!(webpush_list_pattern);
