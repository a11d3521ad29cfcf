import type { MessageCatalog } from './catalog-types.ts';

/** Hebrew (right-to-left, kept as plain text): the verification message and the call flows only. */
export const he: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'קוד האימות שלך ל־{name} הוא: {code}',
  'verification.doNotShare': 'אין לשתף את הקוד הזה עם אף אחד; העובדים שלנו לעולם לא יבקשו את הקוד.',
  'verification.voiceIntro': 'שלום. כאן {name}.',
  'verification.voiceCode': 'קוד האימות שלך הוא {code}.',
  'verification.voiceRepeat': 'שוב, הקוד שלך הוא {code}.',
  'verification.voiceGoodbye': 'להתראות.',
  'verification.emailSubject': 'קוד האימות שלך ל־{name}',
  'verification.emailBody': 'קוד האימות שלך ל־{name} הוא: {code}',
  'verification.emailExpiry': 'תוקף הקוד יפוג בעוד {minutes, plural, one {דקה אחת} two {שתי דקות} other {{minutes} דקות}}. אם לא ביקשת אותו, אפשר להתעלם מהודעה זו.',
  'verification.psd2': 'קוד זה מאשר תשלום של {amount} ל־{payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} הוא קוד האימות שלך.',
  'verification.whatsappSecurity': 'למען אבטחתך, אין לשתף את הקוד הזה.',
  'verification.whatsappExpiry': 'תוקף הקוד יפוג בעוד {minutes, plural, one {דקה אחת} two {שתי דקות} other {{minutes} דקות}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'כדי לשמוע את הקוד שוב, הקישו 1.',
  'voice.enterCode': 'הזינו את הקוד שמוצג על המסך.',
  'voice.wrongCode': 'הקוד הזה שגוי.',
  'voice.codeAccepted': 'תודה. מספר הטלפון שלך אומת.',
  'voice.tooManyWrong': 'יותר מדי קודים שגויים. להתראות.',
  'voice.noInput': 'לא התקבל שום קלט.',
  'voice.approvePayment': 'מתבקש אישורך לתשלום של {amount} ל־{payee}.',
  'voice.approveSignIn': 'כניסה לחשבון שלך ממתינה לאישורך.',
  'voice.pressOneToApprove': 'לאישור, הקישו 1. לדחייה, הקישו על כל מקש אחר.',
  'voice.enterNumberToApprove': 'לאישור, הזינו את שתי הספרות שמוצגות על המסך. לדחייה, הקישו על מקש הכוכבית.',
  'voice.approved': 'אושר. תודה. להתראות.',
  'voice.denied': 'נדחה. אם לא ביצעת את הפעולה, יש לשנות את הסיסמה. להתראות.',
  'voice.noLongerValid': 'הבקשה הזו כבר אינה בתוקף. להתראות.',
  'voice.flashAnswered': 'השיחה הזו רק מאמתת את מספר הטלפון שלך. אפשר לנתק עכשיו. להתראות.',
  'voice.sayPassPhrase': 'אחרי הצפצוף, יש לומר את משפט הסיסמה.',
  'voice.sayItAgain': 'תודה. שוב, אחרי הצפצוף.',
  'voice.recordAgain': 'לא שמענו היטב. נסו שוב אחרי הצפצוף.',
  'voice.voiceprintReady': 'טביעת הקול שלך מוכנה. להתראות.',
  'voice.voiceMatched': 'תודה. הקול שלך אומת. להתראות.',
  'voice.voiceNotMatched': 'הקול שלך לא תאם. להתראות.',
};
