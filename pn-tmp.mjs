import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
let bad=0; const t=Date.now();
for (let i=0;i<10000000;i+=1){ const s=`+44781${String(i).padStart(7,'0')}`; const p=parsePhoneNumberFromString(s); if(!(p&&p.isValid()&&p.number===s&&p.country==='GB')) {bad++; if(bad<5) console.log('bad',s);} }
console.log('+44781 bad', bad, Date.now()-t,'ms');
