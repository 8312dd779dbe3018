// Method calls on values of unknown type that rules still read, by name: `server.listen(port, host)`
// (what a server binds to), `resolved.startsWith(root)` and Python's `real.startswith(root)` (how a
// path is confined), and mail clients' `sendMail`/`sendEmail` (what is sent where). Other `member:`
// calls are the bundle's own functions and serve reachability only.
export const MEMBER_CALLS_READ_BY_RULES = new Set(['member:listen', 'member:startsWith', 'member:startswith', 'member:sendMail', 'member:sendEmail', 'member:sendEmailBatch']);
