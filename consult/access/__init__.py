"""Access: who someone is and what they may do.

- `client_address`: the real client address behind trusted proxies.
- `staff_sign_in`: staff accounts, password hashing and sign-in throttles; `member_join`: joining a consultation
  (open, verified against the roll, throttled); `member_link`: the member's signed link and cookie;
  `roll_file`: reading a membership roll file; `presenter`: the presenter view's key for members-only rooms.

May import `consult.configuration`, `consult.keys`, `consult.regions`, `consult.text` and `consult.storage`.
"""
