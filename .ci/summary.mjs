// Prints vitest's JSON results as the one line CI reads: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';
const [file, status] = process.argv.slice(2);
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const failed = r.numFailedTests + (r.numFailedTestSuites > 0 && r.numFailedTests === 0 ? r.numFailedTestSuites : 0);
  console.log(`${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch (err) {
  console.log(`0 passed, ${status === '0' ? 0 : 1} failed`);
}
