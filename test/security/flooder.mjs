// A flood from another process (so its own cost does not land on the server's event loop in tests):
//   node flooder.mjs <port> <connections> [ms between blocks]
// Prints "flooding" once every connection has written, "refused" once every connection has been answered
// RATE_LIMITED at least once; runs until killed.
import { connect } from 'node:net';

const [port, count, every = 10] = process.argv.slice(2).map(Number);
const block = '/help\n/ping x\nhello there\n/nonsense a b c\n'.repeat(50);
let writing = 0;
let refused = 0;
for (let i = 0; i < count; i++) {
  const s = connect({ port, host: '127.0.0.1' }, () => {
    s.write('/format json\n');
    // 200 lines every `every` ms (20,000 lines/s by default), reading every reply: a flood, not a client
    // that never reads (each refused line is answered, so an unpaced flood overflows its own output).
    const timer = setInterval(() => { if (s.writableLength === 0) s.write(block); }, every);
    s.on('close', () => clearInterval(timer));
    if (++writing === count) process.stdout.write('flooding\n');
  });
  let seen = false;
  s.on('data', (d) => {
    if (!seen && d.includes('RATE_LIMITED')) { seen = true; if (++refused === count) process.stdout.write('refused\n'); }
  });
  s.on('error', () => {});
  s.on('close', () => process.stdout.write('closed\n'));
}
