// One process for these test files (see test/support/test-files.mjs): each would otherwise pay for its
// own node + tsx start and module loading. npm test runs them only through this file.
import '../../test/store/database-clock.test.ts';
import '../../test/store/factors-store.test.ts';
import '../../test/store/leased-rate-limiter.test.ts';
import '../../test/store/lockout-stores.test.ts';
import '../../test/store/row-codecs.test.ts';
import '../../test/store/unit-of-work.test.ts';
import '../../test/store/verification-plans.test.ts';
