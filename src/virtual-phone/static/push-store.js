// The page's push factors, kept in IndexedDB: the CryptoKey pair is stored as itself (structured
// clone), so its non-extractable private key never exists as bytes the page could read.
/* global indexedDB */

const DB_NAME = 'verity-virtual-phone';
const STORE = 'push-factors';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'sid' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, act) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Every stored factor: {sid, keys: CryptoKeyPair, identity, accountName, serviceName, friendlyName, status, created}. */
export const listFactors = async () => (await run('readonly', (store) => store.getAll())).sort((a, b) => a.created - b.created);
export const getFactor = (sid) => run('readonly', (store) => store.get(sid));
export const putFactor = (factor) => run('readwrite', (store) => store.put(factor));
export const deleteFactor = (sid) => run('readwrite', (store) => store.delete(sid));
