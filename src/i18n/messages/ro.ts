import type { MessageCatalog } from './catalog-types.ts';

/** Romanian (formal address): the verification message and the call flows only (the hosted pages fall back to English). */
export const ro: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Codul dumneavoastră de verificare {name} este: {code}',
  'verification.doNotShare': 'Nu comunicați acest cod nimănui; angajații noștri nu vă vor cere niciodată codul.',
  'verification.voiceIntro': 'Bună ziua. Aici {name}.',
  'verification.voiceCode': 'Codul dumneavoastră de verificare este {code}.',
  'verification.voiceRepeat': 'Încă o dată, codul dumneavoastră este {code}.',
  'verification.voiceGoodbye': 'La revedere.',
  'verification.emailSubject': 'Codul dumneavoastră de verificare {name}',
  'verification.emailBody': 'Codul dumneavoastră de verificare {name} este: {code}',
  'verification.emailExpiry': 'Acest cod expiră în {minutes, plural, one {{minutes} minut} few {{minutes} minute} other {{minutes} de minute}}. Dacă nu l-ați solicitat, puteți ignora acest e-mail.',
  'verification.psd2': 'Acest cod aprobă o plată de {amount} către {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} este codul dumneavoastră de verificare.',
  'verification.whatsappSecurity': 'Pentru siguranța dumneavoastră, nu comunicați acest cod.',
  'verification.whatsappExpiry': 'Acest cod expiră în {minutes, plural, one {{minutes} minut} few {{minutes} minute} other {{minutes} de minute}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Pentru a asculta din nou codul, apăsați 1.',
  'voice.enterCode': 'Introduceți codul afișat pe ecran.',
  'voice.wrongCode': 'Codul nu este corect.',
  'voice.codeAccepted': 'Vă mulțumim. Numărul dumneavoastră de telefon a fost verificat.',
  'voice.tooManyWrong': 'Prea multe coduri greșite. La revedere.',
  'voice.noInput': 'Nu am primit nicio tastare.',
  'voice.approvePayment': 'Vi se cere să aprobați o plată de {amount} către {payee}.',
  'voice.approveSignIn': 'O autentificare în contul dumneavoastră așteaptă aprobarea.',
  'voice.pressOneToApprove': 'Pentru a aproba, apăsați 1. Pentru a refuza, apăsați orice altă tastă.',
  'voice.enterNumberToApprove': 'Pentru a aproba, introduceți cele două cifre afișate pe ecran. Pentru a refuza, apăsați tasta stea.',
  'voice.approved': 'Aprobat. Vă mulțumim. La revedere.',
  'voice.denied': 'Refuzat. Dacă nu ați fost dumneavoastră, vă rugăm să vă schimbați parola. La revedere.',
  'voice.noLongerValid': 'Această solicitare nu mai este valabilă. La revedere.',
  'voice.flashAnswered': 'Acest apel doar verifică numărul dumneavoastră de telefon. Puteți închide acum. La revedere.',
  'voice.sayPassPhrase': 'După semnalul sonor, spuneți fraza de acces.',
  'voice.sayItAgain': 'Vă mulțumim. Încă o dată, după semnalul sonor.',
  'voice.recordAgain': 'Nu v-am auzit bine. Încercați din nou după semnalul sonor.',
  'voice.voiceprintReady': 'Amprenta dumneavoastră vocală este gata. La revedere.',
  'voice.voiceMatched': 'Vă mulțumim. Vocea dumneavoastră a fost verificată. La revedere.',
  'voice.voiceNotMatched': 'Vocea dumneavoastră nu s-a potrivit. La revedere.',
};
