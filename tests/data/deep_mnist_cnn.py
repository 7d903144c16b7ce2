"""The graph of notebook 07's Deep MNIST CNN (the seed tutorial's), built without data or training.

The widget tests draw it: exec this file, then draw the default graph.  steps_per_epoch stands
for ``mnist.train.num_examples // batch_size``.
"""
import minitf as tf

tf.reset_default_graph()
tf.set_random_seed(1)
steps_per_epoch = 1100


def weight_variable(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1), name='weights')


def bias_variable(shape):
    return tf.Variable(tf.constant(0.1, shape=shape), name='biases')


def conv2d(x, W):
    return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')


def max_pool_2x2(x):
    return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')


x = tf.placeholder(tf.float32, [None, 784], name='x')
y_ = tf.placeholder(tf.float32, [None, 10], name='y_')
keep_prob = tf.placeholder(tf.float32, name='keep_prob')
with tf.name_scope('reshape'):
    x_image = tf.reshape(x, [-1, 28, 28, 1])
with tf.name_scope('conv1'):
    W_conv1 = weight_variable([5, 5, 1, 32])
    b_conv1 = bias_variable([32])
    h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)
with tf.name_scope('pool1'):
    h_pool1 = max_pool_2x2(h_conv1)
with tf.name_scope('conv2'):
    W_conv2 = weight_variable([5, 5, 32, 64])
    b_conv2 = bias_variable([64])
    h_conv2 = tf.nn.relu(conv2d(h_pool1, W_conv2) + b_conv2)
with tf.name_scope('pool2'):
    h_pool2 = max_pool_2x2(h_conv2)
with tf.name_scope('fc1'):
    W_fc1 = weight_variable([7 * 7 * 64, 1024])
    b_fc1 = bias_variable([1024])
    h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
    h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1) + b_fc1)
with tf.name_scope('dropout'):
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
with tf.name_scope('fc2'):
    W_fc2 = weight_variable([1024, 10])
    b_fc2 = bias_variable([10])
    y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2

global_step = tf.train.get_or_create_global_step()
with tf.name_scope('loss'):
    cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
with tf.name_scope('adam_optimizer'):
    learning_rate = tf.train.exponential_decay(1e-3, global_step, decay_steps=steps_per_epoch,
                                               decay_rate=0.5, staircase=True)
    train_step = tf.train.AdamOptimizer(learning_rate).minimize(cross_entropy, global_step=global_step)
with tf.name_scope('accuracy'):
    correct_prediction = tf.equal(tf.argmax(y_conv, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

tf.summary.scalar('cross_entropy', cross_entropy)
tf.summary.scalar('batch_accuracy', accuracy)
tf.summary.scalar('learning_rate', learning_rate)
tf.summary.histogram('conv1_weights', W_conv1)
merged = tf.summary.merge_all()
saver = tf.train.Saver(max_to_keep=3)
init = tf.global_variables_initializer()
