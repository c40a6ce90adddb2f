// Preloaded (--import) into server-everything's HTTP mode, which listens on every interface: a listen()
// without a host binds 127.0.0.1 instead, so the bench's servers are reachable from this machine only.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
    if ((typeof args[0] === 'number' || typeof args[0] === 'string') && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
    return listen.apply(this, args);
};
