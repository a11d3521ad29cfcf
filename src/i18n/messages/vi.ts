import type { MessageCatalog } from './catalog-types.ts';

/** Vietnamese: the verification message and the call flows only (the hosted pages fall back to English). */
export const vi: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Mã xác minh {name} của bạn là: {code}',
  'verification.doNotShare': 'Không chia sẻ mã này với bất kỳ ai; nhân viên của chúng tôi sẽ không bao giờ hỏi mã này.',
  'verification.voiceIntro': 'Xin chào. Đây là {name}.',
  'verification.voiceCode': 'Mã xác minh của bạn là {code}.',
  'verification.voiceRepeat': 'Xin nhắc lại, mã của bạn là {code}.',
  'verification.voiceGoodbye': 'Tạm biệt.',
  'verification.emailSubject': 'Mã xác minh {name} của bạn',
  'verification.emailBody': 'Mã xác minh {name} của bạn là: {code}',
  'verification.emailExpiry': 'Mã này sẽ hết hạn sau {minutes} phút. Nếu bạn không yêu cầu mã này, bạn có thể bỏ qua email này.',
  'verification.psd2': 'Mã này phê duyệt khoản thanh toán {amount} cho {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} là mã xác minh của bạn.',
  'verification.whatsappSecurity': 'Vì lý do bảo mật, không chia sẻ mã này.',
  'verification.whatsappExpiry': 'Mã này sẽ hết hạn sau {minutes} phút.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Để nghe lại mã, hãy nhấn phím 1.',
  'voice.enterCode': 'Vui lòng nhập mã hiển thị trên màn hình của bạn.',
  'voice.wrongCode': 'Mã đó không đúng.',
  'voice.codeAccepted': 'Cảm ơn bạn. Số điện thoại của bạn đã được xác minh.',
  'voice.tooManyWrong': 'Nhập sai mã quá nhiều lần. Tạm biệt.',
  'voice.noInput': 'Chúng tôi không nhận được thông tin nhập nào.',
  'voice.approvePayment': 'Bạn được yêu cầu phê duyệt khoản thanh toán {amount} cho {payee}.',
  'voice.approveSignIn': 'Một lượt đăng nhập vào tài khoản của bạn đang chờ bạn phê duyệt.',
  'voice.pressOneToApprove': 'Để phê duyệt, nhấn phím 1. Để từ chối, nhấn phím bất kỳ khác.',
  'voice.enterNumberToApprove': 'Để phê duyệt, nhập hai chữ số hiển thị trên màn hình của bạn. Để từ chối, nhấn phím sao.',
  'voice.approved': 'Đã phê duyệt. Cảm ơn bạn. Tạm biệt.',
  'voice.denied': 'Đã từ chối. Nếu đây không phải là bạn, vui lòng đổi mật khẩu. Tạm biệt.',
  'voice.noLongerValid': 'Yêu cầu này không còn hiệu lực. Tạm biệt.',
  'voice.flashAnswered': 'Cuộc gọi này chỉ xác minh số điện thoại của bạn. Bạn có thể gác máy ngay bây giờ. Tạm biệt.',
  'voice.sayPassPhrase': 'Sau tiếng bíp, hãy nói cụm mật khẩu của bạn.',
  'voice.sayItAgain': 'Cảm ơn bạn. Thêm một lần nữa, sau tiếng bíp.',
  'voice.recordAgain': 'Chúng tôi nghe không rõ. Vui lòng thử lại sau tiếng bíp.',
  'voice.voiceprintReady': 'Mẫu giọng nói của bạn đã sẵn sàng. Tạm biệt.',
  'voice.voiceMatched': 'Cảm ơn bạn. Giọng nói của bạn đã được xác minh. Tạm biệt.',
  'voice.voiceNotMatched': 'Giọng nói của bạn không khớp. Tạm biệt.',
};
